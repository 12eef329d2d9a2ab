"""From a runtime's argv to what starts as PID 1: an init, launchers (``env``, ``gosu``),
a ``sh -c`` string that execs its last command or stays as its parent."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from initlint.knowledge.images import image_facts
from initlint.knowledge.programs import program_name
from initlint.knowledge.shells import FAMILY_LABELS
from initlint.model import (
    Command,
    CommandForm,
    Launch,
    LaunchKind,
    Located,
    RuntimeSpec,
    ShellFamily,
    ShellVerdict,
    Startup,
)
from initlint.pid1.argv import init_child_argv, shell_family_of, shell_invocation, unwrap_launchers
from initlint.pid1.inline import analyse_script


@functools.lru_cache(maxsize=256)
def _image_shell(reference: str) -> ShellFamily:
    return image_facts(reference).shell


def system_shell(spec: RuntimeSpec) -> ShellFamily:
    """Which shell /bin/sh is in the image (the SHELL instruction does not change it)."""
    if spec.base_facts is not None and spec.base_facts.shell is not ShellFamily.UNKNOWN:
        return spec.base_facts.shell  # read from the local engine, or the name-based guess
    if spec.base_image:
        family = _image_shell(spec.base_image)
        if family is not ShellFamily.UNKNOWN:
            return family
    return spec.shell_family if spec.shell_family is not ShellFamily.BASH else ShellFamily.UNKNOWN


def shell_label(executable: str, family: ShellFamily | None) -> str:
    """``/bin/sh (dash)``, ``/bin/sh (busybox ash)``, ``bash``."""
    if family is None:
        return executable
    if program_name(executable) != "sh":
        return executable
    return f"{executable} ({FAMILY_LABELS.get(family, 'unknown shell')})"


def launch_of(argv: Sequence[str], system_sh: ShellFamily) -> Launch | None:
    words = tuple(unwrap_launchers(argv))
    if not words:
        return None
    invocation = shell_invocation(words)
    if invocation is None:
        return Launch(LaunchKind.PROGRAM, words[0], words, " ".join(words))
    shell = invocation.shell
    family = shell_family_of(shell, system_sh)
    index = invocation.script_index + (len(argv) - len(words))
    script_text = words[invocation.script_index]
    if family is ShellFamily.NONE:
        return Launch(LaunchKind.NO_SHELL, shell, (), script_text, shell, family, None, index)
    inline = analyse_script(script_text, family)
    if inline is None:
        return None
    program = tuple(unwrap_launchers(inline.program_words))
    text = inline.last_text
    if inline.verdict in (ShellVerdict.EXECS, ShellVerdict.EXPLICIT_EXEC):
        if not program:
            return None
        kind = LaunchKind.PROGRAM
        executable = program[0]
    elif inline.verdict is ShellVerdict.STAYS:
        kind, executable = LaunchKind.SHELL, shell
    else:
        kind, executable = LaunchKind.SHELL_DEPENDS, shell
    return Launch(kind, executable, program, text, shell, family, inline, index)


# Every rule asks about the same spec in turn: remember the last answer (by identity, since a
# RuntimeSpec may hold unhashable evidence).
_last_resolved: list[tuple[RuntimeSpec, Startup | None]] = []


def startup_of(spec: RuntimeSpec) -> Startup | None:
    """What will be PID 1 and what it runs; None when the argv is unknown or unreadable."""
    if _last_resolved and _last_resolved[0][0] is spec:
        return _last_resolved[0][1]
    pid1 = _startup(spec)
    _last_resolved[:] = [(spec, pid1)]
    return pid1


def _startup(spec: RuntimeSpec) -> Startup | None:
    argv = spec.argv
    if not argv:
        return None
    system_sh = system_shell(spec)
    if spec.init is not None and spec.init.how == "argv":
        child = init_child_argv(argv)
        launch = launch_of(child, system_sh) if child else None
        return Startup(spec.init, launch, argv) if launch else None
    launch = launch_of(argv, system_sh)
    if launch is None:
        return None
    return Startup(spec.init, launch, argv)


# --- where things are written -----------------------------------------------------------


def located_argv(spec: RuntimeSpec) -> list[tuple[Command, Located | None]]:
    """For each word of ``spec.argv``: the command it comes from and the word as written
    (None for the words a shell form adds, like ``/bin/sh`` and ``-c``)."""
    placed: list[tuple[Command, Located | None]] = []
    parts: list[Command] = []
    if spec.entrypoint is not None:
        parts.append(spec.entrypoint)
    if spec.cmd is not None and not (
        spec.entrypoint is not None and spec.entrypoint.form is CommandForm.SHELL
    ):
        parts.append(spec.cmd)
    for command in parts:
        if command.form is CommandForm.EXEC:
            placed.extend((command, word) for word in command.words)
        else:
            placed.extend((command, None) for _ in command.shell)
            placed.append((command, command.script))
    return placed

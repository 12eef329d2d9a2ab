"""What an argv turns into at run time: which process ends up as PID 1, and what runs under it.

A ``sh -c`` script is read with :mod:`initlint.shell_syntax` and judged with the measured
shell behaviour (measured here with bash 5.2, dash 0.5.12 and busybox
1.35 ash, see ``rules/IL103.md``): whether the shell replaces itself with the script's last
command or stays as the parent. Every answer that is not certain comes back as ``None`` or
a ``DEPENDS`` verdict, so rules can stay quiet or say what is unknown.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from initlint.knowledge.images import image_facts
from initlint.knowledge.programs import Program, Role, lookup, program_name
from initlint.knowledge.signals import signal_number
from initlint.model import Command, CommandForm, InitInfo, Located, RuntimeSpec, ShellFamily
from initlint.pid1 import shell_family_of, shell_invocation, unwrap_launchers
from initlint.shell_syntax import AndOr, Script, SimpleCommand, parse_script

# Builtins that never start a program: a script ending with one has no program to exec.
_NON_PROGRAM_BUILTINS = frozenset(
    {
        ":", ".", "true", "false", "cd", "echo", "printf", "export", "set", "unset", "shift",
        "wait", "exit", "return", "trap", "read", "umask", "ulimit", "source", "eval",
        "alias", "unalias", "local", "readonly", "test", "[",
    }
)  # fmt: skip
_TRAP_RESET = frozenset({"-"})


class ShellVerdict(enum.Enum):
    EXECS = "execs"  # the shell replaces itself with the last command
    STAYS = "stays"  # the shell stays PID 1 and runs the last command as its child
    DEPENDS = "depends"  # it depends on which shell /bin/sh is, and that is unknown
    EXPLICIT_EXEC = "explicit-exec"  # the script already ends with ``exec program``


@dataclass(frozen=True)
class ScriptAnalysis:
    script: Script
    last: SimpleCommand
    verdict: ShellVerdict
    why: str  # why the shell stays (empty otherwise): "dash never execs ...", "a pipe", ...
    trapped: frozenset[int]  # signal numbers the script traps with a handler
    sets_traps: bool  # any trap with a handler (EXIT included)
    pipeline: tuple[SimpleCommand, ...] = ()  # the final pipeline when it has several commands
    exec_insertable: bool = True  # ``exec `` before the last command would hand PID 1 over

    @property
    def program_words(self) -> tuple[str, ...]:
        """The program the script ends by running (the first one of a final pipeline)."""
        first = self.pipeline[0] if self.pipeline else self.last
        words = tuple(word.value for word in first.words)
        if self.verdict is ShellVerdict.EXPLICIT_EXEC:
            return _after_exec_options(words[1:])
        return words

    @property
    def last_text(self) -> str:
        """The final simple command (or the final pipeline) as written."""
        start = self.pipeline[0].command_offset if self.pipeline else self.last.command_offset
        return self.script.text[start : self.last.end]


def _after_exec_options(words: tuple[str, ...]) -> tuple[str, ...]:
    i = 0
    while i < len(words) and words[i].startswith("-"):
        i += 2 if words[i] == "-a" else 1
    return words[i:]


def _traps(script: Script) -> tuple[frozenset[int], bool]:
    trapped: set[int] = set()
    sets_traps = False
    for command in script.simple_commands:
        if not command.words or command.words[0].value != "trap" or len(command.words) < 3:
            continue
        handler = command.words[1].value
        if handler in _TRAP_RESET or handler == "":
            continue
        sets_traps = True
        for word in command.words[2:]:
            name = word.value.upper()
            number = 0 if name in ("EXIT", "0") else signal_number(name)
            if number is not None:
                trapped.add(number)
    return frozenset(trapped), sets_traps


def _line_items(script: Script) -> list[AndOr]:
    """The items on the script's last line (bash parses and runs a -c string line by line)."""
    items = list(script.items)
    line = [items[-1]]
    for item in reversed(items[:-1]):
        if item.separator == "\n":
            break
        line.insert(0, item)
    return line


def _trailing(script: Script, item: AndOr) -> str:
    """What follows the last command, same-line comment and blanks removed."""
    rest = script.text[item.end :]
    newline = rest.find("\n")
    head, tail = (rest, "") if newline < 0 else (rest[:newline], rest[newline:])
    if "#" in head:
        head = head[: head.index("#")]
    return (head + tail).replace(" ", "").replace("\t", "").replace("\r", "")


def _bash_verdict(script: Script, item: AndOr, last: SimpleCommand) -> tuple[ShellVerdict, str]:
    if _trailing(script, item) not in ("", ";", "\n", ";\n"):
        return ShellVerdict.STAYS, "bash does not exec a command followed by more lines"
    if last.redirects:
        return ShellVerdict.STAYS, "bash does not exec a redirected last command"
    line = _line_items(script)
    if len(line) > 1 and line[-2].separator == "&":
        return ShellVerdict.STAYS, "bash does not exec a command that follows a background job"
    if len(item.pipelines) > 1 and len(line) > 1:
        return (
            ShellVerdict.STAYS,
            "bash does not exec the end of an && or || list that follows other commands",
        )
    return ShellVerdict.EXECS, ""


def _ash_verdict(script: Script, item: AndOr, last: SimpleCommand) -> ShellVerdict | None:
    if "\n" in _trailing(script, item):
        return ShellVerdict.STAYS
    if last.redirects:
        return None  # busybox execs some redirected commands and not others
    return ShellVerdict.EXECS


@functools.lru_cache(maxsize=512)
def analyse_script(text: str, family: ShellFamily) -> ScriptAnalysis | None:
    """How ``family`` runs the script ``text`` given to ``-c``; None when it cannot be told
    or when the script does not end by running a program in the foreground."""
    if family is ShellFamily.NONE:
        return None
    script = parse_script(text)
    if script is None or not script.items:
        return None
    item = script.items[-1]
    if item.separator == "&":
        return None
    pipeline = item.pipelines[-1]
    last = pipeline.commands[-1]
    if not isinstance(last, SimpleCommand) or not last.words:
        return None
    name = last.words[0]
    if name.value in _NON_PROGRAM_BUILTINS and name.is_literal:
        return None
    trapped, sets_traps = _traps(script)

    simple = tuple(c for c in pipeline.commands if isinstance(c, SimpleCommand))
    in_pipeline = simple if len(simple) > 1 and len(simple) == len(pipeline.commands) else ()

    def result(verdict: ShellVerdict, why: str = "") -> ScriptAnalysis:
        return ScriptAnalysis(script, last, verdict, why, trapped, sets_traps, in_pipeline, single)

    single = len(pipeline.commands) == 1 and not pipeline.negated
    if len(pipeline.commands) > 1 and not in_pipeline:
        return None  # a compound command in the final pipeline
    if name.value == "exec" and name.is_literal:
        if not single or not _after_exec_options(tuple(w.value for w in last.words[1:])):
            return None
        return result(ShellVerdict.EXPLICIT_EXEC)
    if not single:
        why = "every shell stays as the parent of a pipeline"
        if pipeline.negated:
            why = "every shell stays to invert the status of a ! command"
        return result(ShellVerdict.STAYS, why)
    if sets_traps:
        return result(ShellVerdict.STAYS, "every shell stays to run its trap")
    if family is ShellFamily.DASH:
        return result(ShellVerdict.STAYS, "dash never execs the last command itself")
    if family is ShellFamily.BASH:
        verdict, why = _bash_verdict(script, item, last)
        return result(verdict, why)
    if family is ShellFamily.ASH:
        ash = _ash_verdict(script, item, last)
        if ash is None:
            return None
        why = "busybox ash does not exec a command followed by more lines"
        return result(ash, why if ash is ShellVerdict.STAYS else "")
    return result(ShellVerdict.DEPENDS, "")


# --- from argv to PID 1 ---------------------------------------------------------------


class LaunchKind(enum.Enum):
    PROGRAM = "program"  # a program (directly, or exec'd by a shell or launcher)
    SHELL = "shell"  # a shell that stays as the parent of the program
    SHELL_DEPENDS = "shell-depends"  # a shell that may or may not exec: /bin/sh unknown
    NO_SHELL = "no-shell"  # the shell does not exist in the image


@dataclass(frozen=True)
class Launch:
    """What one argv becomes once shells and launchers have exec'd what they exec."""

    kind: LaunchKind
    executable: str  # the PID 1 executable for PROGRAM, the shell for the shell kinds
    program: tuple[str, ...]  # the program's argv as far as it is known
    program_text: str  # the program as written (for messages)
    shell: str | None = None  # the shell that runs or exec'd the program
    family: ShellFamily | None = None
    analysis: ScriptAnalysis | None = None
    script_index: int | None = None  # index of the -c script in the argv

    @property
    def known_program(self) -> Program | None:
        return lookup(self.program[0]) if self.program else None


@dataclass(frozen=True)
class Pid1:
    """PID 1 of the container: an init in front of ``launch``, or ``launch`` itself."""

    init: InitInfo | None
    launch: Launch
    argv: tuple[str, ...]  # the effective argv


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
    names = {ShellFamily.DASH: "dash", ShellFamily.ASH: "busybox ash", ShellFamily.BASH: "bash"}
    return f"{executable} ({names.get(family, 'unknown shell')})"


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
    analysis = analyse_script(script_text, family)
    if analysis is None:
        return None
    program = tuple(unwrap_launchers(analysis.program_words))
    text = analysis.last_text
    if analysis.verdict in (ShellVerdict.EXECS, ShellVerdict.EXPLICIT_EXEC):
        if not program:
            return None
        kind = LaunchKind.PROGRAM
        executable = program[0]
    elif analysis.verdict is ShellVerdict.STAYS:
        kind, executable = LaunchKind.SHELL, shell
    else:
        kind, executable = LaunchKind.SHELL_DEPENDS, shell
    return Launch(kind, executable, program, text, shell, family, analysis, index)


def init_child_argv(argv: Sequence[str]) -> tuple[str, ...]:
    """The program an init at the head of ``argv`` runs (its options and ``--`` skipped)."""
    i = 1
    if program_name(argv[0]) in ("python", "python3"):
        while i < len(argv) and argv[i].startswith("-"):
            i += 1
        i += 1  # the init script
    init = lookup(argv[0])
    with_value = init.options_with_value if init and init.role is Role.INIT else ("-p", "-e")
    while i < len(argv):
        word = argv[i]
        if word == "--":
            return tuple(argv[i + 1 :])
        if not word.startswith("-") or word == "-":
            break
        i += 2 if word in with_value else 1
    return tuple(argv[i:])


# Every rule asks about the same spec in turn: remember the last answer (by identity, since a
# RuntimeSpec may hold unhashable evidence).
_last_resolved: list[tuple[RuntimeSpec, Pid1 | None]] = []


def resolve_pid1(spec: RuntimeSpec) -> Pid1 | None:
    """What will be PID 1 and what it runs; None when the argv is unknown or unreadable."""
    if _last_resolved and _last_resolved[0][0] is spec:
        return _last_resolved[0][1]
    pid1 = _resolve_pid1(spec)
    _last_resolved[:] = [(spec, pid1)]
    return pid1


def _resolve_pid1(spec: RuntimeSpec) -> Pid1 | None:
    argv = spec.argv
    if not argv:
        return None
    system_sh = system_shell(spec)
    if spec.init is not None and spec.init.how == "argv":
        child = init_child_argv(argv)
        launch = launch_of(child, system_sh) if child else None
        return Pid1(spec.init, launch, argv) if launch else None
    launch = launch_of(argv, system_sh)
    if launch is None:
        return None
    return Pid1(spec.init, launch, argv)


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

"""Reading an argv the way the kernel and the shell will: which program is PID 1, is it an init,
is it a ``sh -c`` wrapper, what does an init or a launcher run."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import NamedTuple

from initlint.knowledge.programs import Role, lookup, program_name
from initlint.knowledge.shells import SHELL_FAMILIES
from initlint.model import InitInfo, ShellFamily, Span

_ENV_WRAPPERS = frozenset({"env", "nice", "chpst", "gosu", "su-exec", "setpriv", "ionice"})


def shell_family_of(shell_program: str, system_sh: ShellFamily) -> ShellFamily:
    """Which family a shell executable belongs to; ``sh`` is whatever /bin/sh is."""
    name = program_name(shell_program)
    if name == "sh":
        return system_sh
    return SHELL_FAMILIES.get(name, ShellFamily.UNKNOWN)


def is_shell(executable: str) -> bool:
    program = lookup(executable)
    return program is not None and program.role is Role.SHELL


class ShellInvocation(NamedTuple):
    """``sh -c SCRIPT [name args...]``: the shell, the index of SCRIPT in the argv."""

    shell: str
    script_index: int


def shell_invocation(argv: Sequence[str]) -> ShellInvocation | None:
    """Recognise ``sh -c 'script'`` (with options like ``-e``/``-o pipefail`` around ``-c``)."""
    if not argv or not is_shell(argv[0]):
        return None
    start = 1
    if program_name(argv[0]) == "busybox":
        if len(argv) < 2 or argv[1] not in ("sh", "ash"):
            return None
        start = 2
    # options may follow -c too (``sh -c -e 'script'``); ``--`` or ``-`` ends them, and the
    # script is the first word after them: ``sh -c -- 'script'`` runs 'script', not ``--``
    i = start
    command_string = False  # -c seen: the first operand is the script
    while i < len(argv):
        word = argv[i]
        if word in ("--", "-"):
            i += 1
            break
        if word in ("-o", "+o"):
            i += 2
            continue
        if word.startswith(("-", "+")) and len(word) > 1:
            command_string = command_string or (word[0] == "-" and "c" in word[1:])
            i += 1
            continue
        break
    if command_string and i < len(argv):
        return ShellInvocation(argv[0], i)
    return None


def unwrap_launchers(argv: Sequence[str]) -> Sequence[str]:
    """Skip ``env VAR=1``, ``gosu user`` and similar, which exec the real program."""
    i = 0
    while i < len(argv):
        name = program_name(argv[i])
        if name not in _ENV_WRAPPERS:
            break
        i += 1
        if name in ("gosu", "su-exec", "chpst"):
            i += 1  # the user argument
        while i < len(argv) and ("=" in argv[i] or argv[i].startswith("-")):
            i += 1
    return argv[i:]


def find_init(argv: Sequence[str], span: Span | None = None) -> InitInfo | None:
    """An init at the head of ``argv``: tini, dumb-init, or a Python running initlint-init."""
    if not argv:
        return None
    head = argv[0]
    program = lookup(head)
    if program is not None and program.role is Role.INIT:
        return InitInfo(program_name(head), "argv", span)
    if program_name(head) in ("python", "python3"):
        for word in argv[1:]:
            if word.startswith("-"):
                continue
            if os.path.basename(word) in ("initlint-init", "init.py"):
                return InitInfo("initlint-init", "argv", span)
            break
    return None


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


def needs_subreaper(argv: Sequence[str]) -> bool:
    """tini below PID 1 reaps only when made a subreaper (``-s`` or TINI_SUBREAPER)."""
    if program_name(argv[0]) not in ("tini", "tini-static", "docker-init"):
        return False
    options = argv[1 : len(argv) - len(init_child_argv(argv))]
    return not any(o.startswith("-") and not o.startswith("--") and "s" in o for o in options)

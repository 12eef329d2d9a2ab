"""What initlint knows about shells, in one place: their names, their builtins, the forms of
``trap``, and which shell execs the last command of a ``-c`` string itself.

Both shell readers use it: the ``sh -c`` string reader (:mod:`initlint.pid1.inline`) and the
entrypoint script reader (:mod:`initlint.pid1.script`).
"""

from __future__ import annotations

from collections.abc import Sequence

from initlint.knowledge.signals import signal_number
from initlint.model import ShellFamily

# Programs that are shells: a script file run by one of them is read as a shell script.
SHELL_NAMES = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox"})

# Which family an executable belongs to when it is called by that name (``sh`` is whatever
# /bin/sh is in the image: see :func:`initlint.pid1.argv.shell_family_of`).
SHELL_FAMILIES = {
    "bash": ShellFamily.BASH,
    "dash": ShellFamily.DASH,
    "ash": ShellFamily.ASH,
    "busybox": ShellFamily.ASH,
}

# Builtins that never start a program: a script (or ``-c`` string) ending with one does not
# end by running the app, so there is nothing to ``exec``.
BUILTINS = frozenset(
    {
        ":", ".", "true", "false", "cd", "echo", "printf", "export", "set", "unset", "shift",
        "wait", "exit", "return", "trap", "read", "umask", "ulimit", "source", "eval",
        "alias", "unalias", "local", "readonly", "test", "[", "exec",
    }
)  # fmt: skip

# Last commands that only keep the container alive while background jobs work (IL302).
KEEP_ALIVE = frozenset({"sleep", "tail"})

# ``trap - SIG`` resets SIG to its default and ``trap '' SIG`` ignores it: neither installs a
# handler that runs.
TRAP_WITHOUT_HANDLER = frozenset({"-", ""})
# The pseudo-signal a trap on shell exit names (``trap cleanup EXIT`` / ``trap cleanup 0``).
EXIT_TRAP = 0


def trapped_signals(words: Sequence[str]) -> frozenset[int] | None:
    """The signals ``trap HANDLER SIG...`` installs a handler for (0 for EXIT); None when the
    words are not a trap that installs a handler (``trap``, ``trap -p``, ``trap - TERM``,
    ``trap '' TERM``)."""
    if len(words) < 3 or words[0] != "trap":
        return None
    handler = words[1]
    if handler in TRAP_WITHOUT_HANDLER:
        return None
    trapped: set[int] = set()
    for word in words[2:]:
        name = word.upper()
        number = EXIT_TRAP if name in ("EXIT", "0") else signal_number(name)
        if number is not None:
            trapped.add(number)
    return frozenset(trapped)


# Measured (bash 5.2, dash 0.5.12, busybox 1.35 ash; rules/IL103.md has every row): whether
# the shell replaces itself with the last simple command of a ``-c`` string when nothing else
# (a pipe, a trap, a redirect, more lines) keeps it there.
EXECS_LAST_COMMAND = {
    ShellFamily.BASH: True,
    ShellFamily.ASH: True,
    ShellFamily.DASH: False,
}

# What messages call each family.
FAMILY_LABELS = {
    ShellFamily.DASH: "dash",
    ShellFamily.ASH: "busybox ash",
    ShellFamily.BASH: "bash",
}

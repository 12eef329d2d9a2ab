"""What an entrypoint script does with the stop signal, from its ScriptFacts.

Measured with ``docker stop -t 2`` on dash 0.5.12, bash 5.2 and busybox 1.35 ash (the truth
matrix, tests/truth): a shell runs a trap only between commands. While it waits for a
foreground command (a program, ``"$@"``, ``tail -f /dev/null``, ``sleep infinity``) the trap
waits too, and the command does not get the signal; the ``wait`` builtin is interrupted by a
trapped signal, and a ``while sleep 1`` loop runs the trap after at most one ``sleep``. A shell
that is PID 1 without a TERM trap never sees SIGTERM (the kernel drops it); one that is not
PID 1 dies of it unless it traps or ignores it. ``trap '' TERM`` is inherited by what the shell
starts, ``exec`` included. dash runs ``$(jobs -p)`` in a subshell that has no jobs. bash with
an EXIT trap (and no TERM trap) catches SIGTERM to run it, and ends at once.
"""

from __future__ import annotations

import enum
from typing import NamedTuple

from initlint.model import ScriptFacts, ShellFamily

# A loop that sleeps at most this long between checks runs its trap within the shortest grace
# period measured (2 s).
LOOP_PAUSE_LIMIT = 1.0


BASH_EXIT_TRAP = (
    "bash catches SIGTERM to run its EXIT trap, then ends (measured: 0.2 s, exit 143; dash and "
    "busybox ash install no handler for an EXIT trap)"
)


def bash_exit_trap_catches_term(family: ShellFamily | None, trapped: frozenset[int]) -> bool:
    """bash with an EXIT trap and no TERM trap handles SIGTERM itself: it runs the EXIT trap
    and ends, at once, even while it waits for a foreground command."""
    return family is ShellFamily.BASH and 0 in trapped and 15 not in trapped


class Forwarding(enum.Enum):
    """Who sends the stop signal to the script's shell."""

    PID1 = "pid1"  # nobody in between: the shell is PID 1
    CHILD = "child"  # an init that signals its child only (tini, docker --init, initlint-init)
    GROUP = "group"  # an init that signals the process group (dumb-init, tini -g)


class ScriptStop(NamedTuple):
    verdict: str  # graceful | grace-period | unknown | exec (the exec'd program decides)
    why: str
    ignored: bool = False  # ``exec``: the program starts with SIGTERM ignored


def script_stop(facts: ScriptFacts, family: ShellFamily, forwarding: Forwarding) -> ScriptStop:
    ending = facts.ending
    if ending == "exec":
        return ScriptStop("exec", "the script execs its last command", facts.term_ignored)
    if ending not in ("wait", "loop", "foreground"):
        return ScriptStop("unknown", "the script does not end by waiting for something")
    if forwarding is Forwarding.PID1 and not facts.term_handler:
        if bash_exit_trap_catches_term(family, facts.trapped) and not facts.term_ignored:
            return ScriptStop("graceful", BASH_EXIT_TRAP)
        return ScriptStop(
            "grace-period", "the shell is PID 1 and has no TERM trap: the kernel drops SIGTERM"
        )
    if not facts.term_handler and not facts.term_ignored:
        return ScriptStop("graceful", "the shell is not PID 1: SIGTERM's default action ends it")
    if facts.term_ignored:
        if forwarding is Forwarding.GROUP and ending == "foreground":
            return ScriptStop("unknown", "trap '' TERM: it depends on the foreground program")
        return ScriptStop("grace-period", "trap '' TERM: the shell ignores SIGTERM")
    return _with_handler(facts, family, forwarding)


def _with_handler(facts: ScriptFacts, family: ShellFamily, forwarding: Forwarding) -> ScriptStop:
    ending = facts.ending
    if ending == "wait":
        if facts.handler_forwards_with_jobs and facts.handler_waits:
            if family is ShellFamily.DASH:
                return ScriptStop(
                    "grace-period",
                    "dash runs $(jobs -p) in a subshell that has no jobs: the trap signals "
                    "nobody, and its wait waits for jobs that never got the signal",
                )
            if family not in (ShellFamily.BASH, ShellFamily.ASH):
                return ScriptStop("unknown", "$(jobs -p) is empty in dash: which shell is it?")
        return ScriptStop("graceful", "the TERM trap interrupts wait")
    if ending == "loop":
        pause = facts.loop_pause
        if facts.handler_exits and pause is not None and pause <= LOOP_PAUSE_LIMIT:
            return ScriptStop("graceful", "the loop's shell runs its TERM trap between sleeps")
        return ScriptStop("unknown", "when the loop runs its trap, and whether it ends it")
    if forwarding is Forwarding.GROUP:
        return ScriptStop(
            "graceful",
            "the init signals the whole group: the foreground command ends, then the trap runs",
        )
    return ScriptStop(
        "grace-period",
        "the shell runs its TERM trap only after the foreground command ends, and that "
        "command never gets the signal",
    )

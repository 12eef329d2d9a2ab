"""The prediction: what will be PID 1 of one runtime, and what it does on stop and with orphans.

A runtime is a Dockerfile stage, a compose service, a Kubernetes container or an image.
:mod:`initlint.pid1` computes one :class:`Prediction` per runtime; every rule reads it and
``--probe`` measures the same fields, so the static and the measured verdict are two values
of one type.
"""

from __future__ import annotations

import enum
from typing import Literal, NamedTuple

from initlint.model.core import InitInfo, ShellFamily, Span

# graceful: the container ends on the stop signal, before the grace period is over;
# grace-period: the signal is dropped, the engine waits the whole grace period, then SIGKILL
StopVerdict = Literal["graceful", "grace-period", "unknown"]
ReapVerdict = Literal["yes", "no", "unknown"]
# a link of the launch chain: how one process hands over to the next (or runs it as a child)
LinkRole = Literal[
    "runtime-init",  # an init the runtime adds (compose init: true, the pod's pause container)
    "init",  # an init in the argv (tini, dumb-init, initlint-init)
    "launcher",  # env, gosu, su-exec ...: exec the next program
    "shell",  # sh -c 'script'
    "shell-script",  # an entrypoint script file run by a shell
    "python",
    "node",
    "program",
    "unknown",
]


class ShellVerdict(enum.Enum):
    """What a shell does with the last command of a ``-c`` string."""

    EXECS = "execs"  # the shell replaces itself with the last command
    STAYS = "stays"  # the shell stays PID 1 and runs the last command as its child
    DEPENDS = "depends"  # it depends on which shell /bin/sh is, and that is unknown
    EXPLICIT_EXEC = "explicit-exec"  # the script already ends with ``exec program``


class LaunchKind(enum.Enum):
    PROGRAM = "program"  # a program (directly, or exec'd by a shell or launcher)
    SHELL = "shell"  # a shell that stays as the parent of the program
    SHELL_DEPENDS = "shell-depends"  # a shell that may or may not exec: /bin/sh unknown
    NO_SHELL = "no-shell"  # the shell does not exist in the image


class InlineScript(NamedTuple):
    """How a shell runs a ``-c`` string: the verdict of the measured shell table."""

    verdict: ShellVerdict
    why: str  # why the shell stays (empty otherwise): "dash never execs ...", "a pipe", ...
    trapped: frozenset[int]  # signal numbers the script traps with a handler
    sets_traps: bool  # any trap with a handler (EXIT included)
    program_words: tuple[str, ...]  # the program it ends by running (after ``exec`` options)
    last_text: str  # the final simple command (or final pipeline) as written
    exec_offset: int  # character offset in the string where ``exec `` would go
    exec_insertable: bool  # ``exec `` there would hand PID 1 over (no pipeline, no ``!``)


class Launch(NamedTuple):
    """What one argv becomes once shells and launchers have exec'd what they exec."""

    kind: LaunchKind
    executable: str  # the PID 1 executable for PROGRAM, the shell for the shell kinds
    program: tuple[str, ...]  # the program's argv as far as it is known
    program_text: str  # the program as written (for messages)
    shell: str | None = None  # the shell that runs or exec'd the program
    family: ShellFamily | None = None
    inline: InlineScript | None = None
    script_index: int | None = None  # index of the -c script in the argv


class Startup(NamedTuple):
    """How the container's argv starts: an init in front of ``launch``, or ``launch`` itself."""

    init: InitInfo | None
    launch: Launch
    argv: tuple[str, ...]  # the effective argv


class Link(NamedTuple):
    """One process of the launch chain, with the evidence for what it does."""

    role: LinkRole
    argv: tuple[str, ...]
    evidence: str  # why initlint believes it: "dash never execs the last command itself"
    handles_stop: bool | None = None  # has a handler for SIGTERM (None: unknown)
    reaps: bool | None = None  # reaps orphaned children (None: unknown)
    is_pid1: bool = False
    span: Span | None = None  # where it is written, when initlint knows


class Measurement(NamedTuple):
    """What ``--probe`` measured, with the times (a Prediction made of it says ``measured``)."""

    wait_seconds: float  # how long the container ran before the stop
    grace_seconds: float
    stop_seconds: float | None  # None: PID 1 exited on its own during the wait
    exit_code: int | None
    killed_after_grace: bool  # the stop ended in SIGKILL when the grace period was over
    zombies: int | None  # children of PID 1 in state Z when the wait was over; None: unread
    zombie_source: str = ""  # where they were counted: "the host's process table", ...


class Prediction(NamedTuple):
    """What PID 1 of one runtime will be and do."""

    path: str
    line: int
    target: str  # the stage, service, container or image
    chain: tuple[Link, ...]  # init -> shell -> script -> program, as far as it is known
    pid1: tuple[str, ...]  # PID 1's argv; empty when unknown
    stop: StopVerdict
    signal: str  # the signal the engine delivers first ("SIGTERM")
    receiver: str  # the process that receives it ("tini", "python3", "/bin/sh (dash)")
    reaps: ReapVerdict
    why: str  # one sentence
    startup: Startup | None = None  # the argv read as the kernel and shell will; None: unknown
    system_shell: ShellFamily = ShellFamily.UNKNOWN  # what /bin/sh is in the image
    measured: Measurement | None = None  # set: the fields were measured by --probe

    @property
    def pid1_link(self) -> Link | None:
        for link in self.chain:
            if link.is_pid1:
                return link
        return None

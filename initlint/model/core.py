"""Positions, spans and the pieces a container's command is made of."""

from __future__ import annotations

import enum
from typing import Literal, NamedTuple

CommandRole = Literal["entrypoint", "cmd"]
# how an init comes to run: in the argv, compose ``init: true``, the pod's pause container,
# the host's init (``hostPID`` / ``pid: host``), or the image's own ENTRYPOINT
InitHow = Literal["argv", "compose-init", "share-process-namespace", "host-pid", "image"]


class Position(NamedTuple):
    line: int
    column: int


class Span(NamedTuple):
    """A region of one source file."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    @property
    def start(self) -> Position:
        return Position(self.line, self.column)

    @property
    def end(self) -> Position:
        return Position(self.end_line, self.end_column)

    def cover(self, other: Span) -> Span:
        """The smallest span holding both ``self`` and ``other`` (same file)."""
        start = min(self.start, other.start)
        end = max(self.end, other.end)
        return Span(self.path, start.line, start.column, end.line, end.column)


class Located(NamedTuple):
    """A value as written in a source, with where it was written."""

    value: str
    span: Span


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.strip().upper()]


class Applicability(enum.Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"
    NONE = "none"


class SourceKind(enum.Enum):
    DOCKERFILE = "dockerfile"
    COMPOSE = "compose"
    KUBERNETES = "kubernetes"
    IMAGE = "image"


class CommandForm(enum.Enum):
    EXEC = "exec"
    SHELL = "shell"


class ShellFamily(enum.Enum):
    """Which program /bin/sh (or the SHELL in effect) is: picks the row of the measured shell
    table (``rules/IL103.md``)."""

    DASH = "dash"
    ASH = "ash"
    BASH = "bash"
    NONE = "none"
    UNKNOWN = "unknown"


class Command(NamedTuple):
    """An ENTRYPOINT or CMD (or compose/k8s command/args) as it was written.

    ``argv`` is what the engine will execute for this piece: for exec form the words
    themselves, for shell form the shell in effect followed by the joined command string.
    """

    role: CommandRole
    form: CommandForm
    argv: tuple[str, ...]
    span: Span  # the whole instruction or key
    words: tuple[Located, ...] = ()  # exec form: each element; shell form: the command string
    shell: tuple[str, ...] = ()  # shell form: the SHELL in effect (default /bin/sh -c)
    script: Located | None = None  # shell form: the command string as the shell gets it
    inherited_from: str | None = None  # stage or image name when not set in this stage
    keyword_span: Span | None = None  # "ENTRYPOINT"/"CMD" keyword, or the YAML key


class StopSignal(NamedTuple):
    value: str
    span: Span | None
    inherited_from: str | None = None


class InitInfo(NamedTuple):
    """An init that will reap and forward for the app: in the argv, or supplied by the runtime."""

    name: str  # "tini", "dumb-init", "initlint-init", "docker-init", "pause"
    how: InitHow
    span: Span | None = None

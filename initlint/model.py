"""The shared vocabulary: every loader produces it, every rule reads it, every fixer edits by it.

Positions are 1-based lines and columns counted in characters of the decoded text; an end
column is exclusive (as in SARIF regions), so a span of one character has
``end_column == column + 1``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from initlint.knowledge.images import ImageFacts


@dataclass(frozen=True, order=True)
class Position:
    line: int
    column: int


@dataclass(frozen=True)
class Span:
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


@dataclass(frozen=True)
class Located:
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
    """Which program /bin/sh (or the SHELL in effect) is: picks the row of the shell table
    in ``rules/IL103.md``."""

    DASH = "dash"
    ASH = "ash"
    BASH = "bash"
    NONE = "none"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Command:
    """An ENTRYPOINT or CMD (or compose/k8s command/args) as it was written.

    ``argv`` is what the engine will execute for this piece: for exec form the words
    themselves, for shell form the shell in effect followed by the joined command string.
    """

    role: str  # "entrypoint" or "cmd"
    form: CommandForm
    argv: tuple[str, ...]
    span: Span  # the whole instruction or key
    words: tuple[Located, ...] = ()  # exec form: each element; shell form: the command string
    shell: tuple[str, ...] = ()  # shell form: the SHELL in effect (default /bin/sh -c)
    script: Located | None = None  # shell form: the command string as the shell gets it
    inherited_from: str | None = None  # stage or image name when not set in this stage
    keyword_span: Span | None = None  # "ENTRYPOINT"/"CMD" keyword, or the YAML key


@dataclass(frozen=True)
class StopSignal:
    value: str
    span: Span | None
    inherited_from: str | None = None


@dataclass(frozen=True)
class InitInfo:
    """An init that will reap and forward for the app: in the argv, or supplied by the runtime."""

    name: str  # "tini", "dumb-init", "initlint-init", "docker-init", "pause"
    how: str  # "argv", "compose-init", "share-process-namespace", "image"
    span: Span | None = None


# --- App evidence -----------------------------------------------------------------------
# What initlint learnt by following PID 1 into the build context (initlint.evidence).


@dataclass(frozen=True)
class EvidenceItem:
    """One fact found in the app's sources, with where it was found."""

    kind: str  # "spawn", "orphans", "sigterm", "reaps"
    text: str  # "app.py:12 starts subprocesses with subprocess.Popen"
    span: Span  # path as on disk (in the build context)


@dataclass(frozen=True)
class ScriptFacts:
    """An entrypoint script from the build context, read with a shell parser."""

    path: str  # on disk
    image_path: str  # where it is in the image
    interpreter: str  # "sh", "bash", ... (shebang or the shell that runs it)
    last_command: Located | None  # the last top-level command as written
    last_offset: int | None  # character offset of ``last_command`` in the file
    last_is_exec: bool  # it starts with ``exec``
    last_is_simple: bool  # a simple command (or the end of an ``&&`` list): ``exec`` fits
    last_is_builtin: bool  # exit, echo, true, ...: not the program
    last_words: tuple[str, ...]  # its words without ``exec`` (and without ``VAR=`` prefixes)
    passes_args: bool  # ``"$@"`` in the last command
    background_jobs: tuple[Located, ...] = ()  # ``cmd &`` anywhere
    waits: bool = False
    traps_term: bool = False  # ``trap ... TERM`` or ``INT``
    end_offset: int = 0  # character offset just after the last command
    newline: str = "\n"


@dataclass(frozen=True)
class PackageScript:
    """The project script a package runner (``npm start``, ``uv run``) runs, read from the
    project's manifest (package.json, pyproject.toml, Pipfile) in the build context."""

    invocation: tuple[str, ...]  # the runner's words as PID 1 runs them: ("npm", "run", "web")
    runner: str  # "npm", "yarn", "pnpm", "poetry", "uv", "pipenv"
    name: str  # the script's name ("web"), or the program a Python runner starts ("python")
    # "script": a package.json script (text is what the runner's shell runs);
    # "default": no start script, npm/pnpm fall back to ``node server.js``;
    # "program": a Python runner starts ``name`` itself (no script of that name);
    # "entry-point": a [project.scripts] / [tool.poetry.scripts] console script;
    # "pipfile-script": a Pipfile [scripts] entry; "unknown": not read (see ``unknown``)
    kind: str
    text: str | None = None  # the script as written: "node server.js", "pkg.mod:main"
    args: tuple[str, ...] = ()  # what the runner appends: npm run x -- ARGS, uv run prog ARGS
    manifest: str | None = None  # where ``text`` came from, as messages show it
    manifest_path: str | None = None  # the same file on disk
    line: int | None = None  # of the script in the manifest
    hooks: tuple[str, ...] = ()  # lifecycle scripts run around it: ("prestart", "poststart")
    unknown: str = ""  # why the script could not be read


@dataclass(frozen=True)
class AppEvidence:
    """What the process that will be PID 1 runs and does, read from the build context.

    ``sigterm_handled`` and ``reaps_orphans`` are None when unknown: rules then stay quiet.
    """

    pid1_argv: tuple[str, ...]  # what will be PID 1 once every exec has happened
    pid1_kind: str  # "python", "node", "shell-script", "program", "unknown"
    language: str | None = None  # of the app: "python", "node", "shell", None
    entry: str | None = None  # the app's entry file on disk (in the build context)
    entry_image_path: str | None = None
    spawns: tuple[EvidenceItem, ...] = ()
    sigterm_handlers: tuple[EvidenceItem, ...] = ()
    sigterm_handled: bool | None = None  # by the PID 1 process
    reaps_orphans: bool | None = None  # by the PID 1 process
    script: ScriptFacts | None = None  # the entrypoint script that runs the app, if any
    script_is_pid1: bool = False  # the script's shell stays PID 1 (its last command not exec'd)
    notes: tuple[str, ...] = ()  # why something is unknown (for --verbose and tests)
    # an init (tini) that runs below PID 1 without -s / TINI_SUBREAPER: it reaps nothing
    init_below_pid1: tuple[str, ...] = ()
    # the project script a package runner as PID 1's program runs (IL104); None: no runner
    package_script: PackageScript | None = None


@dataclass(frozen=True)
class RuntimeSpec:
    """Everything about one container that decides what PID 1 will be and do."""

    source_kind: SourceKind
    path: str
    name: str  # stage name or index, service, container
    span: Span  # where the container is defined (FROM, service key, container item)
    base_image: str | None  # the external image at the root of the FROM chain
    shell_family: ShellFamily
    entrypoint: Command | None
    cmd: Command | None
    stop_signal: StopSignal | None = None
    stop_grace_seconds: float | None = None
    init: InitInfo | None = None
    user: str | None = None
    # earlier ENTRYPOINT/CMD of the same stage, overridden by a later one
    overridden: tuple[Command, ...] = ()
    # the CMD that ENTRYPOINT reset (the base image's CMD does not run): kept for messages
    reset_cmd: Command | None = None
    build_context: str | None = None
    # what is known of base_image: read from the local engine when it has the image, else
    # guessed from the name (knowledge.images); None for sources that do not say
    base_facts: ImageFacts | None = None
    # RUN commands of the stage chain (for evidence such as "installs python3")
    run_commands: tuple[Located, ...] = ()
    # what the app in the build context does (initlint.evidence); None: not looked at
    evidence: AppEvidence | None = None
    # Kubernetes ``lifecycle.preStop`` hook (the command or HTTP path), run before the signal
    pre_stop: Located | None = None

    @property
    def argv(self) -> tuple[str, ...]:
        """The effective argv of PID 1: ENTRYPOINT + CMD (CMD is ignored after a shell form)."""
        head = self.entrypoint.argv if self.entrypoint else ()
        if self.entrypoint and self.entrypoint.form is CommandForm.SHELL:
            return head
        tail = self.cmd.argv if self.cmd else ()
        return head + tail

    @property
    def pid1_command(self) -> Command | None:
        """The piece whose first word becomes PID 1."""
        if self.entrypoint is not None:
            return self.entrypoint
        return self.cmd


# --- Fix intents ------------------------------------------------------------------------
# Rules say *what* to change, source-agnostically; the fixer of the source kind turns an
# intent into text edits on exact spans.


@dataclass(frozen=True)
class ToExecForm:
    """Rewrite a shell-form command as exec form with these words."""

    command: Command
    words: tuple[str, ...]


@dataclass(frozen=True)
class InsertExec:
    """Insert ``exec `` before the final simple command of a ``sh -c`` string."""

    command: Command
    word: Located  # the script string as written
    offset: int  # character offset in ``word.value`` where ``exec `` goes


@dataclass(frozen=True)
class RemoveCommands:
    """Delete overridden instructions."""

    commands: tuple[Command, ...]


@dataclass(frozen=True)
class SetStopSignal:
    signal: str
    existing: StopSignal | None


@dataclass(frozen=True)
class InjectInit:
    """Put an init in front of PID 1 (strategy chosen by the fixer from the base image)."""

    reason: str


@dataclass(frozen=True)
class ScriptInsertExec:
    """Insert ``exec `` at a character offset of an entrypoint script (IL301)."""

    path: str  # the script on disk
    offset: int


@dataclass(frozen=True)
class ScriptAppendWait:
    """Insert a ``wait`` line after the last command of an entrypoint script (IL302)."""

    path: str
    offset: int  # just after the last command
    newline: str = "\n"
    end: int | None = None  # set: ``wait`` replaces the text offset:end (a keep-alive)


@dataclass(frozen=True)
class AddSigtermHandler:
    """Add a SIGTERM handler raising SystemExit at the top of a Python entry file (IL202)."""

    path: str  # the entry file on disk


@dataclass(frozen=True)
class InsertInitSeparator:
    """Insert ``--`` into an exec-form command before the word at ``index`` (IL203)."""

    command: Command
    index: int


@dataclass(frozen=True)
class RemoveArgvWords:
    """Drop the words ``start:end`` of an exec-form command (a stacked init, IL203)."""

    command: Command
    start: int
    end: int


@dataclass(frozen=True)
class RemoveRuntimeInit:
    """Drop the init the runtime adds (compose ``init: true``) when the image has its own."""

    init: InitInfo


@dataclass(frozen=True)
class ReplaceArgv:
    """Replace all the words of a command with ``words``, written in exec form (IL104)."""

    command: Command
    words: tuple[str, ...]


FixIntent = Union[
    ToExecForm,
    InsertExec,
    RemoveCommands,
    SetStopSignal,
    InjectInit,
    ScriptInsertExec,
    ScriptAppendWait,
    AddSigtermHandler,
    InsertInitSeparator,
    RemoveArgvWords,
    RemoveRuntimeInit,
    ReplaceArgv,
]


@dataclass(frozen=True)
class Fix:
    applicability: Applicability
    description: str
    intent: FixIntent | None = None


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: Severity
    message: str
    span: Span
    fix: Fix | None = None
    container: str = ""  # RuntimeSpec.name, for reports that group by container

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.span.path, self.span.line, self.span.column, self.rule_id)


@dataclass(frozen=True)
class Edit:
    """Replace the text in ``span`` (empty span: insert) with ``text``."""

    span: Span
    text: str


@dataclass
class LintResult:
    """What linting one file produced."""

    path: str
    findings: list[Finding] = field(default_factory=list)

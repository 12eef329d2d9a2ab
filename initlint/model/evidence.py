"""App evidence: what initlint learnt by following PID 1 into the build context."""

from __future__ import annotations

from typing import Literal, NamedTuple

from initlint.model.core import Located, Span
from initlint.model.prediction import Link

EvidenceKind = Literal["spawn", "orphans", "sigterm", "reaps"]
# what the process that will be PID 1 is, once every exec has happened
Pid1Kind = Literal["init", "shell", "shell-script", "python", "node", "program", "unknown"]
PackageScriptKind = Literal[
    "script", "default", "program", "entry-point", "pipfile-script", "unknown"
]


class EvidenceItem(NamedTuple):
    """One fact found in the app's sources, with where it was found."""

    kind: EvidenceKind
    text: str  # "app.py:12 starts subprocesses with subprocess.Popen"
    span: Span  # path as on disk (in the build context)


class ScriptFacts(NamedTuple):
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
    traps_term: bool = False  # a trap with a handler on TERM (not ``trap - TERM``/``trap '' TERM``)
    end_offset: int = 0  # character offset just after the last command
    newline: str = "\n"
    trapped: frozenset[int] = frozenset()  # every signal trapped with a handler (0: EXIT)
    # it stops what it started: ``kill "$pid"``, ``mysqladmin shutdown``, ``pg_ctl stop``
    # (the official database images start a temporary server, then stop it before the exec),
    # or execs an init (``exec /usr/sbin/init``) that reaps and stops what is left
    stops_jobs: bool = False
    # How the script meets SIGTERM (see initlint/pid1/script_stop.py):
    term_handler: bool = False  # ``trap 'code' TERM``: a handler the shell runs
    term_ignored: bool = False  # ``trap '' TERM``: the shell and what it starts ignore it
    handler_exits: bool = False  # the handler runs ``exit``
    handler_waits: bool = False  # the handler runs ``wait``
    handler_forwards_with_jobs: bool = False  # the handler's ``kill`` takes ``$(jobs -p)``
    # the final statement: exec | wait | foreground | loop | builtin | background | unknown
    ending: str = "unknown"
    loop_pause: float | None = None  # ``loop``: the longest ``sleep N`` it waits in


class PackageScript(NamedTuple):
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
    kind: PackageScriptKind
    text: str | None = None  # the script as written: "node server.js", "pkg.mod:main"
    args: tuple[str, ...] = ()  # what the runner appends: npm run x -- ARGS, uv run prog ARGS
    manifest: str | None = None  # where ``text`` came from, as messages show it
    manifest_path: str | None = None  # the same file on disk
    line: int | None = None  # of the script in the manifest
    hooks: tuple[str, ...] = ()  # lifecycle scripts run around it: ("prestart", "poststart")
    unknown: str = ""  # why the script could not be read


class AppEvidence(NamedTuple):
    """What the process that will be PID 1 runs and does, read from the build context.

    ``sigterm_handled`` and ``reaps_orphans`` are None when unknown: rules then stay quiet.
    """

    pid1_argv: tuple[str, ...]  # what will be PID 1 once every exec has happened
    pid1_kind: Pid1Kind
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
    # the processes PID 1 hands over to, as followed through the build context
    chain: tuple[Link, ...] = ()

"""Follow the PID 1 argv through inits, launchers, ``sh -c`` strings, entrypoint scripts and
interpreters to the app's files in the build context, and say what PID 1 will be and do."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from typing import NamedTuple

from initlint.evidence.context import BuildContext, Opaque
from initlint.knowledge.apis import DEFAULT_PATH
from initlint.knowledge.programs import Role, is_go_binary, lookup, program_name
from initlint.knowledge.shells import SHELL_NAMES
from initlint.model import (
    AppEvidence,
    EvidenceItem,
    LaunchKind,
    Link,
    Pid1Kind,
    ScriptFacts,
    ShellFamily,
)
from initlint.pid1.argv import (
    find_init,
    init_child_argv,
    needs_subreaper,
    shell_invocation,
    unwrap_launchers,
)
from initlint.pid1.script import ScriptParseError, analyse_script, shebang_interpreter
from initlint.pid1.startup import launch_of

MAX_HOPS = 8
SIGTERM = 15
PYTHON_NAMES = frozenset({"python", "python3", "python2", "pypy", "pypy3"})
NODE_NAMES = frozenset({"node", "nodejs"})
_PY_OPTIONS_WITH_VALUE = frozenset({"-W", "-X", "--check-hash-based-pycs"})
_NODE_OPTIONS_WITH_VALUE = frozenset(
    {"-r", "--require", "--import", "--loader", "--experimental-loader", "--env-file",
     "--title", "--conditions", "-C", "--inspect-port"}
)  # fmt: skip
_NODE_INLINE = frozenset({"-e", "--eval", "-p", "--print", "-i", "--interactive", "--test"})
_APP_REFERENCE = re.compile(r"^([A-Za-z_][\w.]*)(?::[\w.()\[\]'\", =]+)?$")
_SERVER_APP_FLAGS = {"celery": ("-A", "--app"), "gunicorn": (), "uvicorn": ("--app-dir",)}
_ARGS_REWRITTEN = re.compile(r"^\s*(set\s+--|shift\b)", re.MULTILINE)


class Environment(NamedTuple):
    """What the image sets that decides where files are: WORKDIR, PATH, PYTHONPATH."""

    workdir: str
    path: tuple[str, ...]
    python_path: tuple[str, ...]
    shell_family: ShellFamily
    subreaper_env: bool = False  # TINI_SUBREAPER is set


class Resolver:
    __slots__ = (
        "chain", "context", "entry", "entry_image", "env", "go_binaries", "handlers",
        "init_below_pid1", "language", "notes", "pid1", "script", "script_is_pid1", "spawns",
    )  # fmt: skip

    def __init__(
        self,
        context: BuildContext,
        env: Environment,
        go_binaries: tuple[str, ...] = (),  # COPY'd from a Go build stage (RuntimeSpec's)
    ) -> None:
        self.context = context
        self.env = env
        self.go_binaries = go_binaries
        self.notes: list[str] = []
        self.pid1: Link | None = None
        self.chain: list[Link] = []
        self.script: ScriptFacts | None = None
        self.script_is_pid1 = False
        self.language: str | None = None
        self.entry: str | None = None
        self.entry_image: str | None = None
        self.spawns: tuple[EvidenceItem, ...] = ()
        self.handlers: tuple[EvidenceItem, ...] = ()
        self.init_below_pid1: tuple[str, ...] = ()

    def evidence(self, argv: Sequence[str], entrypoint_known: bool = True) -> AppEvidence:
        """What ``argv`` runs. ``entrypoint_known`` False: the image may inherit an ENTRYPOINT
        initlint does not know (an unknown base image), so what PID 1 is stays unknown."""
        self.follow(tuple(argv), is_pid1=True, hops=0)
        pid1 = self.pid1 or Link("unknown", tuple(argv), self._unknown_why())
        if not entrypoint_known:
            self.notes.append("the base image's ENTRYPOINT is not known")
            pid1 = Link("unknown", tuple(argv), self.notes[-1], is_pid1=True)
            self.chain = [pid1]
            self.script_is_pid1 = False
        return AppEvidence(
            pid1_argv=pid1.argv,
            pid1_kind=_kind(pid1),
            language=self.language,
            entry=str(self.entry) if self.entry else None,
            entry_image_path=self.entry_image,
            spawns=self.spawns,
            sigterm_handlers=self.handlers,
            sigterm_handled=pid1.handles_stop,
            reaps_orphans=pid1.reaps,
            script=self.script,
            script_is_pid1=self.script_is_pid1,
            notes=tuple(self.notes),
            init_below_pid1=self.init_below_pid1,
            chain=tuple(self.chain),
        )

    def _set_pid1(self, is_pid1: bool, link: Link) -> None:
        """Record ``link`` in the chain; it is PID 1 when ``is_pid1``."""
        link = link._replace(is_pid1=is_pid1)
        self.chain.append(link)
        if is_pid1:
            self.pid1 = link

    def _unknown_why(self) -> str:
        return self.notes[-1] if self.notes else "initlint cannot tell what it runs"

    def follow(self, argv: tuple[str, ...], is_pid1: bool, hops: int) -> None:
        if not argv or hops > MAX_HOPS:
            self.notes.append("nothing to run" if not argv else "too many hops")
            return
        init = find_init(argv)
        if init is not None:
            below = not is_pid1 and needs_subreaper(argv) and not self.env.subreaper_env
            why = "an init: it reaps orphans and forwards signals to its child"
            if below:
                self.init_below_pid1 = argv
                why = "an init below PID 1 without -s (TINI_SUBREAPER): it reaps nothing"
            self._set_pid1(is_pid1, Link("init", argv, why, True, not below))
            self.follow(init_child_argv(argv), False, hops + 1)
            return
        unwrapped = tuple(unwrap_launchers(argv))
        if unwrapped != argv:
            why = f"{program_name(argv[0])} execs {program_name(unwrapped[0]) if unwrapped else ''}"
            self.chain.append(Link("launcher", argv, why.rstrip()))
            self.follow(unwrapped, is_pid1, hops + 1)
            return
        if shell_invocation(argv) is not None:
            self._inline_script(argv, is_pid1, hops)
            return
        program = argv[0]
        name = program_name(program)
        if name in PYTHON_NAMES:
            self._python(argv, is_pid1)
        elif name in NODE_NAMES:
            self._node(argv, is_pid1)
        elif name in SHELL_NAMES:
            self._shell_with_file(argv, is_pid1, hops)
        else:
            self._program(argv, is_pid1, hops)

    # --- shells -------------------------------------------------------------------------

    def _inline_script(self, argv: tuple[str, ...], is_pid1: bool, hops: int) -> None:
        """``sh -c '...'``: whether the shell execs the program is the measured shell table
        (:mod:`initlint.pid1.inline`)."""
        launch = launch_of(argv, self.env.shell_family)
        if launch is None or launch.kind not in (LaunchKind.PROGRAM, LaunchKind.SHELL):
            self.notes.append(f"sh -c: cannot tell what PID 1 will be for {argv!r}")
            self._set_pid1(is_pid1, Link("unknown", argv, self.notes[-1]))
            return
        if launch.kind is LaunchKind.PROGRAM:
            how = "ends with exec" if launch.inline is None or launch.inline.why == "" else ""
            self.chain.append(Link("shell", argv, how or "the shell execs its last command"))
            self.follow(launch.program, is_pid1, hops + 1)
            return
        trapped = launch.inline is not None and SIGTERM in launch.inline.trapped
        why = launch.inline.why if launch.inline is not None else "the shell stays"
        # a shell waiting for its foreground command collects any child: it reaps
        self._set_pid1(is_pid1, Link("shell", argv, why, trapped, True))
        if launch.program:
            self.follow(launch.program, False, hops + 1)

    def _shell_with_file(self, argv: tuple[str, ...], is_pid1: bool, hops: int) -> None:
        i = 1
        while i < len(argv) and argv[i].startswith(("-", "+")):
            i += 2 if argv[i] in ("-o", "+o") else 1
        if i >= len(argv):
            self._set_pid1(is_pid1, Link("unknown", argv, self._unknown_why()))
            return
        found = self._file(argv[i])
        if not isinstance(found, tuple):
            self._set_pid1(is_pid1, Link("unknown", argv, self._unknown_why()))
            return
        image_path, disk = found
        self._script_file(
            argv, image_path, disk, argv[i + 1 :], program_name(argv[0]), is_pid1, hops
        )

    def _script_file(
        self,
        argv: tuple[str, ...],
        image_path: str,
        disk: str,
        args: tuple[str, ...],
        interpreter: str,
        is_pid1: bool,
        hops: int,
    ) -> None:
        text = self.context.read_text(disk)
        if text is None:
            self._set_pid1(is_pid1, Link("unknown", argv, self._unknown_why()))
            return
        try:
            facts = analyse_script(text, str(disk), image_path, interpreter)
        except ScriptParseError as error:
            self.notes.append(str(error))
            self._set_pid1(is_pid1, Link("unknown", argv, self._unknown_why()))
            return
        if self.script is None:
            self.script = facts
        rewritten = facts.passes_args and _ARGS_REWRITTEN.search(text) is not None
        words = None if rewritten else _concrete(facts.last_words, args)
        if facts.last_is_exec:
            if words is None:
                self.notes.append(f"{disk}: cannot tell what `exec` runs")
                self._set_pid1(is_pid1, Link("unknown", argv, self._unknown_why()))
                return
            self.follow(words, is_pid1, hops + 1)
            return
        if is_pid1:
            self.script_is_pid1 = True
        why = f"{image_path} does not exec its last command"
        why += ", and traps TERM" if facts.traps_term else ", and has no TERM trap"
        # a shell that waits (for a command, in wait, in a loop) collects any child: it reaps
        reaps = True if facts.ending in ("foreground", "wait", "loop") else None
        self._set_pid1(is_pid1, Link("shell-script", argv, why, facts.traps_term, reaps))
        if words and not facts.last_is_builtin:
            self.follow(words, False, hops + 1)

    # --- interpreters -------------------------------------------------------------------

    def _python(self, argv: tuple[str, ...], is_pid1: bool) -> None:
        from initlint.evidence.python_app import PythonAnalysis, resolve_module

        target = _python_target(argv)
        if target is None:
            self._set_pid1(is_pid1, Link("python", argv, self._unknown_why()))
            return
        how, value = target
        if how == "module":
            search = [self.env.workdir, *self.env.python_path]
            found = resolve_module(self.context, value, search)
            if found is None or isinstance(found, Opaque):
                server = lookup(value.split(".")[0])
                if server is not None and server.role is Role.SERVER:
                    rest = argv[argv.index(value) + 1 :]
                    self._program((value.split(".")[0], *rest), is_pid1, 0)
                    return
                self.notes.append(f"python -m {value}: not in the build context")
                self._set_pid1(is_pid1, Link("python", argv, self._unknown_why()))
                return
            image_path, disk = found
        else:
            resolved = self._file(value)
            if not isinstance(resolved, tuple):
                self.notes.append(f"{value}: not in the build context")
                self._set_pid1(is_pid1, Link("python", argv, self._unknown_why()))
                return
            image_path, disk = resolved
            search = [posixpath.dirname(image_path), *self.env.python_path]
        facts = PythonAnalysis(self.context, search).run(disk, image_path)
        self._app("python", disk, image_path, facts.spawns, facts.sigterm)
        reaps = bool(facts.reaps)
        why = _handler_why(facts.sigterm, facts.sigterm_handled, "Python")
        self._set_pid1(is_pid1, Link("python", argv, why, facts.sigterm_handled, reaps))
        self.notes.extend(facts.unknown_sigterm)

    def _node(self, argv: tuple[str, ...], is_pid1: bool) -> None:
        from initlint.evidence.node_app import NodeAnalysis, package_main, resolve_entry

        i = 1
        while i < len(argv) and argv[i].startswith("-"):
            if argv[i] in _NODE_INLINE:
                self._set_pid1(is_pid1, Link("node", argv, self._unknown_why()))
                return
            i += 2 if argv[i] in _NODE_OPTIONS_WITH_VALUE else 1
        if i >= len(argv):
            self._set_pid1(is_pid1, Link("node", argv, self._unknown_why()))
            return
        image_path = self._image_path(argv[i])
        if argv[i] in (".", "./") or image_path.endswith("/"):
            image_path = package_main(self.context, image_path) or image_path
        found = resolve_entry(self.context, image_path)
        if found is None:
            self.notes.append(f"{argv[i]}: not in the build context")
            self._set_pid1(is_pid1, Link("node", argv, self._unknown_why()))
            return
        entry_image, disk = found
        facts = NodeAnalysis(self.context).run(disk, entry_image)
        self._app("node", disk, entry_image, facts.spawns, facts.sigterm)
        self.notes.extend(facts.unknown_sigterm)
        # libuv reaps only the children Node itself spawned: orphans are never reaped
        why = _handler_why(facts.sigterm, facts.sigterm_handled, "Node")
        self._set_pid1(is_pid1, Link("node", argv, why, facts.sigterm_handled, False))

    def _app(
        self,
        language: str,
        disk: str,
        image_path: str,
        spawns: Sequence[EvidenceItem],
        handlers: Sequence[EvidenceItem],
    ) -> None:
        if self.language is not None:
            return
        self.language = language
        self.entry = disk
        self.entry_image = image_path
        self.spawns = tuple(spawns)
        self.handlers = tuple(handlers)

    # --- programs and files -------------------------------------------------------------

    def _program(self, argv: tuple[str, ...], is_pid1: bool, hops: int) -> None:
        program = argv[0]
        found = (
            self._file(program, on_path=True) if ("/" in program or not lookup(program)) else None
        )
        if isinstance(found, tuple):
            image_path, disk = found
            text = self.context.read_text(disk)
            interpreter = shebang_interpreter(text or "")
            if interpreter in SHELL_NAMES:
                assert interpreter is not None
                self._script_file(argv, image_path, disk, argv[1:], interpreter, is_pid1, hops)
                return
            if interpreter is not None and program_name(interpreter) in PYTHON_NAMES:
                self._python((interpreter, image_path, *argv[1:]), is_pid1)
                return
            if interpreter is not None and program_name(interpreter) in NODE_NAMES:
                self._node((interpreter, image_path, *argv[1:]), is_pid1)
                return
            self._set_pid1(is_pid1, Link("unknown", argv, self._unknown_why()))
            return
        known = lookup(program)
        if known is None and is_go_binary(program, self.go_binaries):
            why = "a Go binary (COPY'd from a golang build stage): the Go runtime exits on SIGTERM"
            self._set_pid1(is_pid1, Link("program", argv, why, True, None))
            return
        if known is None:
            self.notes.append(f"{program}: not a known program and not in the build context")
            self._set_pid1(is_pid1, Link("unknown", argv, self._unknown_why()))
            return
        why = known.note or f"{program_name(program)}: a known program"
        link = Link("program", argv, why, known.handles_sigterm, known.reaps_children)
        self._set_pid1(is_pid1, link)
        self._server_app(argv)

    def _server_app(self, argv: tuple[str, ...]) -> None:
        """gunicorn/uvicorn ``module:app``, celery ``-A proj``: the app's module, for evidence."""
        name = program_name(argv[0])
        if name not in _SERVER_APP_FLAGS:
            return
        module = None
        for i, word in enumerate(argv[1:], start=1):
            if name == "celery" and word in ("-A", "--app") and i + 1 < len(argv):
                module = argv[i + 1].split(":")[0]
                break
            if name == "celery" and word.startswith("--app="):
                module = word.split("=", 1)[1].split(":")[0]
                break
            if name != "celery" and ":" in word and _APP_REFERENCE.match(word):
                module = word.split(":")[0]
                break
        if module is None:
            return
        # the Python analysis (and ast) only for a Python server: npm, nginx ... need neither
        from initlint.evidence.python_app import PythonAnalysis, resolve_module

        found = resolve_module(self.context, module, [self.env.workdir, *self.env.python_path])
        if found is None or isinstance(found, Opaque):
            return
        image_path, disk = found
        facts = PythonAnalysis(self.context, [self.env.workdir]).run(disk, image_path)
        self._app("python", disk, image_path, facts.spawns, facts.sigterm)

    def _image_path(self, word: str) -> str:
        return posixpath.normpath(posixpath.join(self.env.workdir, word))

    def _file(self, word: str, on_path: bool = False) -> tuple[str, str] | Opaque | None:
        """The context file a word names: a path from WORKDIR, or (``on_path``, for a
        program without a slash) a name looked up on PATH."""
        if "$" in word:
            return None
        candidates = (
            [posixpath.join(d, word) for d in self.env.path]
            if on_path and "/" not in word
            else [self._image_path(word)]
        )
        for candidate in candidates:
            found = self.context.image_to_context(candidate)
            if isinstance(found, str):
                return candidate, found
            if isinstance(found, Opaque):
                self.notes.append(f"{candidate}: {found.why}")
                return found
        return None


def _kind(link: Link) -> Pid1Kind:
    role = link.role
    if role == "runtime-init" or role == "launcher":
        return "unknown"
    return role


def _handler_why(handlers: Sequence[EvidenceItem], handled: bool | None, language: str) -> str:
    if handlers:
        return handlers[0].text
    if handled is False:
        return f"no SIGTERM handler in the app's sources ({language} installs none by default)"
    return "whether the app handles SIGTERM is unknown"


def _python_target(argv: tuple[str, ...]) -> tuple[str, str] | None:
    i = 1
    while i < len(argv):
        word = argv[i]
        if word in _PY_OPTIONS_WITH_VALUE:
            i += 2
            continue
        if word.startswith("-") and word != "-" and not word.startswith("--"):
            flags = word[1:]
            for at, flag in enumerate(flags):
                if flag in "cm":
                    value = flags[at + 1 :] or (argv[i + 1] if i + 1 < len(argv) else "")
                    return None if flag == "c" or not value else ("module", value)
                if flag in "WX":
                    i += 0 if flags[at + 1 :] else 1
                    break
            i += 1
            continue
        if word.startswith("--"):
            i += 1
            continue
        return ("file", word)
    return None


def _concrete(words: Sequence[str], args: Sequence[str]) -> tuple[str, ...] | None:
    """The last command's words with ``"$@"`` replaced by the script's arguments; None when
    the argument list itself cannot be known (``$*``, ``${@:2}``). Other words with ``$`` stay
    as written: a program or file word with ``$`` is never resolved to a file later."""
    out: list[str] = []
    for word in words:
        if word in ("$@", "${@}"):
            out.extend(args)
        elif "$@" in word or "$*" in word or "${@" in word:
            return None
        else:
            out.append(word)
    return tuple(out)


def environment(workdir: str, env: dict[str, str], shell_family: ShellFamily) -> Environment:
    path = env.get("PATH", DEFAULT_PATH)
    python_path = tuple(p for p in env.get("PYTHONPATH", "").split(":") if p.startswith("/"))
    return Environment(
        workdir,
        tuple(p for p in path.split(":") if p),
        python_path,
        shell_family,
        subreaper_env=env.get("TINI_SUBREAPER", "") != "",
    )

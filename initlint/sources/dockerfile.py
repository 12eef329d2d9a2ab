"""Dockerfile loader: the RuntimeSpec of the target stage, with BuildKit's semantics.

- shell form is the SHELL in effect (default ``/bin/sh -c``) plus the joined arguments;
- a stage ``FROM`` an earlier stage inherits its ENTRYPOINT, CMD, SHELL, STOPSIGNAL, USER,
  WORKDIR, ENV and (as BuildKit does; the classic builder does not) its ARGs;
- ENTRYPOINT resets an inherited CMD unless the same stage sets CMD;
- ARG/ENV values are substituted in FROM (global ARGs only), STOPSIGNAL, USER, WORKDIR and
  ENV/ARG values, never in exec or shell form commands; ENV wins over an ARG of the same name;
- ONBUILD triggers run in a later stage built FROM the stage that declares them (measured
  with the engine), never in the declaring stage; those of external images are unknown;
- only the target (last) stage runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from initlint.errors import InputError
from initlint.knowledge.images import ImageFacts, image_facts
from initlint.model import (
    Command,
    CommandForm,
    CommandRole,
    Located,
    RuntimeSpec,
    ShellFamily,
    SourceKind,
    StopSignal,
)
from initlint.pid1.argv import find_init, shell_family_of
from initlint.sources.buildkit_words import (
    BoundedScope,
    ShellWordError,
    argument_words,
    process_word,
    split_words,
)
from initlint.sources.dockerfile_syntax import DockerfileSyntax, Instruction, parse_dockerfile

if TYPE_CHECKING:
    from initlint.engine.images import LocalImageFacts

DEFAULT_SHELL = ("/bin/sh", "-c")

# Facts about a base image from a better source than its name (the local engine:
# initlint.engine.base_facts.local_image_facts); None when it cannot tell.
FactsProvider = Callable[[str], "LocalImageFacts | None"]
# BuildKit's rule for stage names (after lower-casing).
_STAGE_NAME = re.compile(r"^[a-z][a-z0-9-_.]*$")


class Stage:
    """The image config as it stands after each instruction of one stage."""

    __slots__ = (
        "args", "base_facts", "base_reference", "cmd", "cmd_set_here", "commands_here",
        "entrypoint", "env", "external_base", "from_instruction", "go_binaries", "index",
        "instructions", "name", "parent", "reset_cmd", "root_from", "runs", "shell",
        "stop_signal", "system_sh", "triggers", "user", "workdir",
    )  # fmt: skip

    def __init__(
        self,
        *,
        index: int,
        name: str | None,
        from_instruction: Instruction,
        base_reference: str,
        parent: Stage | None,
        external_base: str | None,
        system_sh: ShellFamily,
        base_facts: ImageFacts,
        entrypoint: Command | None = None,
        cmd: Command | None = None,
        shell: tuple[str, ...] = DEFAULT_SHELL,
        stop_signal: StopSignal | None = None,
        user: str | None = None,
        workdir: str = "/",
        env: dict[str, str] | None = None,
        args: dict[str, str] | None = None,
    ) -> None:
        self.index = index
        self.name = name
        self.from_instruction = from_instruction
        self.base_reference = base_reference  # as written in FROM, variables expanded
        self.parent = parent
        # the image at the root of the FROM chain ("scratch" too)
        self.external_base = external_base
        self.system_sh = system_sh
        self.base_facts = base_facts  # of external_base: from the local engine, else by its name
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.cmd_set_here = False
        self.reset_cmd: Command | None = None
        self.shell = shell
        self.stop_signal = stop_signal
        self.user = user
        self.workdir = workdir
        self.env: dict[str, str] = {} if env is None else env  # ENV values
        self.args: dict[str, str] = {} if args is None else args  # ARG values of the stage
        self.commands_here: list[Command] = []
        self.runs: list[Located] = []
        # stages whose files this one copies over its root (``COPY --from=rootfs / /``): what
        # their RUNs installed is in this image too (linuxserver.io's base images are built so)
        self.root_from: list[str] = []
        self.go_binaries: list[str] = []  # COPY'd from a Go build stage
        self.triggers: list[Instruction] = []  # its own ONBUILD triggers
        self.instructions: list[Instruction] = []

    @property
    def scope(self) -> dict[str, str]:
        """Variables for substitution: an ENV value wins over an ARG of the same name."""
        return {**self.args, **self.env}

    @property
    def label(self) -> str:
        return self.name or str(self.index)


class DockerfileModel(NamedTuple):
    """The parsed Dockerfile with every stage resolved (fixers and evidence read it too)."""

    syntax: DockerfileSyntax
    stages: tuple[Stage, ...]
    global_args: dict[str, str]

    def stage(self, target: str | None) -> Stage:
        if target is None:
            return self.stages[-1]
        for stage in self.stages:
            if stage.name is not None and stage.name.lower() == target.lower():
                return stage
        raise InputError(self.syntax.path, f"target stage {target!r} not found")

    def chain(self, stage: Stage) -> list[Stage]:
        """The stage and the stages it is built FROM, nearest first."""
        found: list[Stage] = []
        current: Stage | None = stage
        while current is not None:
            found.append(current)
            current = current.parent
        return found


class _Builder:
    def __init__(
        self, syntax: DockerfileSyntax, facts_provider: FactsProvider | None = None
    ) -> None:
        self.facts_provider = facts_provider
        self.syntax = syntax
        self.escape = syntax.escape
        self.global_args: dict[str, str] = {}
        self.stages: list[Stage] = []
        self.bounded = BoundedScope({})  # one expansion budget for the whole file

    def fail(self, instruction: Instruction, message: str) -> InputError:
        return InputError(self.syntax.path, message, instruction.span.line)

    def build(self) -> DockerfileModel:
        current: Stage | None = None
        for instruction in self.syntax.instructions:
            if instruction.keyword == "FROM":
                current = self._start_stage(instruction)
                self.stages.append(current)
            elif current is None:
                if instruction.keyword != "ARG":
                    raise self.fail(
                        instruction,
                        f"{instruction.keyword} before the first FROM (only ARG may be)",
                    )
                self._arg(instruction, self.global_args, self.global_args)
            else:
                current.instructions.append(instruction)
                self._apply(current, instruction)
        if not self.stages:
            raise InputError(self.syntax.path, "no FROM instruction: not a Dockerfile", None)
        return DockerfileModel(self.syntax, tuple(self.stages), dict(self.global_args))

    def _words(
        self, instruction: Instruction, env: Mapping[str, str] | None, *, parser_split: bool = False
    ) -> list[str]:
        """ENV/ARG words (BuildKit's parseWords), or with ``parser_split`` FROM's (its parser
        splits on [\\t\\v\\f\\r ] whatever the quotes)."""
        scope = self.bounded.over(env) if env is not None else None
        split = argument_words if parser_split else split_words
        try:
            return [w.value for w in split(instruction.args, self.escape, scope)]
        except ShellWordError as error:
            raise self.fail(instruction, f"{instruction.keyword}: {error}") from None

    def _word(self, instruction: Instruction, text: str, env: dict[str, str]) -> str:
        try:
            return process_word(text, self.bounded.over(env), self.escape)
        except ShellWordError as error:
            raise self.fail(instruction, f"{instruction.keyword}: {error}") from None

    def _builds_go(self, source: str) -> bool:
        """The stage ``source`` is built FROM golang, or runs ``go build``."""
        stage = next((s for s in self.stages if s.name == source.lower()), None)
        if stage is None and source.isdigit() and int(source) < len(self.stages):
            stage = self.stages[int(source)]
        while stage is not None:
            image = (stage.external_base or "").split("@", 1)[0].rsplit("/", 1)[-1]
            if image.split(":", 1)[0] == "golang":
                return True
            if any("go build" in run.value or "go install" in run.value for run in stage.runs):
                return True
            stage = stage.parent
        return False

    def _start_stage(self, instruction: Instruction) -> Stage:
        scope = _Lookups(self.global_args)
        words = self._words(instruction, scope, parser_split=True)
        if scope.missing:
            # FROM $BASE with no default: --build-arg decides, so the base is unknown
            words = self._words(instruction, None, parser_split=True)
        if not words:
            raise self.fail(instruction, "FROM requires an image")
        reference = words[0]
        name: str | None = None
        if len(words) == 3 and words[1].lower() == "as":
            name = words[2].lower()
            if not _STAGE_NAME.match(name):
                raise self.fail(instruction, f"invalid name for build stage: {words[2]!r}")
            if any(stage.name == name for stage in self.stages):
                raise self.fail(instruction, f"duplicate stage name {words[2]!r}")
        elif len(words) != 1:
            raise self.fail(instruction, "FROM requires either one or three arguments")
        unset = bool(scope.missing) or not reference  # no image known here: --build-arg
        if not reference:
            reference = self._words(instruction, None, parser_split=True)[0] or "${?}"
        parent = next(
            (s for s in self.stages if s.name and s.name.lower() == reference.lower()), None
        )
        index = len(self.stages)
        if parent is not None:
            child = Stage(
                index=index,
                name=name,
                from_instruction=instruction,
                base_reference=reference,
                parent=parent,
                external_base=parent.external_base,
                system_sh=parent.system_sh,
                base_facts=parent.base_facts,
                entrypoint=_inherit(parent.entrypoint, parent.label),
                cmd=_inherit(parent.cmd, parent.label),
                shell=parent.shell,
                stop_signal=_inherit_signal(parent.stop_signal, parent.label),
                user=parent.user,
                workdir=parent.workdir,
                env=dict(parent.env),
                args=dict(parent.args),
            )
            origin = f"an ONBUILD trigger of stage {parent.label}"
            for trigger in parent.triggers:
                self._apply(child, trigger, origin)
            return child
        local = (
            self.facts_provider(reference)
            if self.facts_provider is not None and reference != "scratch" and not unset
            else None
        )
        facts = local.facts if local is not None else image_facts(None if unset else reference)
        signal = (
            StopSignal(facts.stop_signal, None, inherited_from=reference)
            if facts.stop_signal
            else None
        )
        stage = Stage(
            index=index,
            name=name,
            from_instruction=instruction,
            base_reference=reference,
            parent=None,
            external_base=reference,
            system_sh=facts.shell,
            base_facts=facts,
            stop_signal=signal,
        )
        if local is not None:
            _inherit_local_config(stage, local, instruction)
        return stage

    def _apply(self, stage: Stage, instruction: Instruction, origin: str | None = None) -> None:
        """Apply one instruction; ``origin`` names the ONBUILD trigger it comes from."""
        keyword = instruction.keyword
        if keyword in ("ENTRYPOINT", "CMD"):
            command = self._command(stage, instruction)
            if origin is None:
                stage.commands_here.append(command)
            else:
                command = command._replace(inherited_from=origin)
            if keyword == "CMD":
                stage.cmd = command
                stage.cmd_set_here = True
                stage.reset_cmd = None  # the stage sets its own CMD: the reset no longer matters
            else:
                stage.entrypoint = command
                if not stage.cmd_set_here and stage.cmd is not None:
                    stage.reset_cmd = stage.cmd
                    stage.cmd = None
        elif keyword == "SHELL":
            if instruction.json_words is None:
                raise self.fail(instruction, "SHELL requires the arguments in JSON form")
            if not instruction.json_words:
                raise self.fail(instruction, "SHELL requires at least one argument")
            stage.shell = tuple(w.value for w in instruction.json_words)
        elif keyword == "STOPSIGNAL":
            value = self._word(instruction, instruction.args, stage.scope)
            stage.stop_signal = StopSignal(value, instruction.args_span(), inherited_from=origin)
        elif keyword == "USER":
            stage.user = self._word(instruction, instruction.args, stage.scope)
        elif keyword == "WORKDIR":
            path = self._word(instruction, instruction.args, stage.scope)
            stage.workdir = path if path.startswith("/") else f"{stage.workdir.rstrip('/')}/{path}"
        elif keyword == "ENV":
            self._env(instruction, stage.env, stage.scope)
        elif keyword == "ARG":
            self._arg(instruction, stage.args, stage.scope)
        elif keyword == "RUN":
            stage.runs.append(Located(instruction.args, instruction.args_span()))
        elif keyword == "COPY":
            source = next(
                (f.value[5:] for f in instruction.flags if f.value.startswith("from=")), ""
            )
            words = [w for w in instruction.args.split() if not w.startswith("--")]
            if source and words and words[-1] == "/":
                stage.root_from.append(source.lower())
            elif source and len(words) >= 2 and self._builds_go(source):
                destination = words[-1]
                for copied in words[:-1]:
                    name = copied.rstrip("/").rsplit("/", 1)[-1]
                    target = destination + name if destination.endswith("/") else destination
                    stage.go_binaries.append(target)
        elif keyword == "ONBUILD" and instruction.trigger is not None:
            stage.triggers.append(instruction.trigger)

    def _command(self, stage: Stage, instruction: Instruction) -> Command:
        role: CommandRole = "entrypoint" if instruction.keyword == "ENTRYPOINT" else "cmd"
        if instruction.json_words is not None:
            return Command(
                role=role,
                form=CommandForm.EXEC,
                argv=tuple(w.value for w in instruction.json_words),
                span=instruction.span,
                words=instruction.json_words,
                keyword_span=instruction.keyword_span,
            )
        script = Located(instruction.args, instruction.args_span())
        return Command(
            role=role,
            form=CommandForm.SHELL,
            argv=(*stage.shell, instruction.args),
            span=instruction.span,
            words=(script,),
            shell=stage.shell,
            script=script,
            keyword_span=instruction.keyword_span,
        )

    def _env(self, instruction: Instruction, env: dict[str, str], scope: dict[str, str]) -> None:
        """ENV values are expanded with what was set before the instruction."""
        words = self._words(instruction, scope)
        if words and "=" not in words[0]:
            # legacy form: ENV KEY value with spaces
            rest = instruction.args[len(instruction.args.split(None, 1)[0]) :].strip()
            env[words[0]] = self._word(instruction, rest, scope)
            return
        for word in words:
            key, _, value = word.partition("=")
            env[key] = value

    def _arg(self, instruction: Instruction, args: dict[str, str], scope: dict[str, str]) -> None:
        """A default value, or (``ARG NAME`` in a stage) the global ARG's value."""
        for word in self._words(instruction, scope):
            key, has_default, value = word.partition("=")
            if has_default:
                args[key] = value
            elif key in self.global_args:
                args[key] = self.global_args[key]


class _Lookups(Mapping[str, str]):
    """The global ARGs, remembering which names were asked for and had no value."""

    def __init__(self, known: dict[str, str]) -> None:
        self.known = known
        self.missing: set[str] = set()

    def __getitem__(self, key: str) -> str:
        try:
            return self.known[key]
        except KeyError:
            self.missing.add(key)
            raise

    def __iter__(self) -> Iterator[str]:
        return iter(self.known)

    def __len__(self) -> int:
        return len(self.known)


def _inherit(command: Command | None, stage_label: str) -> Command | None:
    if command is None or command.inherited_from is not None:
        return command
    return command._replace(inherited_from=f"stage {stage_label}")


def _inherit_signal(signal: StopSignal | None, stage_label: str) -> StopSignal | None:
    if signal is None or signal.inherited_from is not None:
        return signal
    return signal._replace(inherited_from=f"stage {stage_label}")


def _shell_of_pid1(stage: Stage) -> str:
    """The shell whose behaviour matters: the one a shell-form PID 1 command runs under
    (the SHELL in effect where it was written), otherwise /bin/sh (for exec-form
    ``sh -c`` wrappers)."""
    pid1 = stage.entrypoint or stage.cmd
    if pid1 is not None and pid1.form is CommandForm.SHELL and pid1.shell:
        return pid1.shell[0]
    return "/bin/sh"


def _inherit_local_config(stage: Stage, facts: LocalImageFacts, instruction: Instruction) -> None:
    """ENTRYPOINT/CMD/SHELL/USER/WORKDIR/ENV of a base image the local engine has."""
    from initlint.sources.image import inherited_config

    inherited = inherited_config(facts, instruction.span)
    if inherited is None:
        return
    stage.entrypoint = inherited.entrypoint
    stage.cmd = inherited.cmd
    stage.shell = inherited.shell
    stage.user = inherited.user
    stage.workdir = inherited.workdir
    stage.env = dict(inherited.env)


def build_model(
    syntax: DockerfileSyntax, facts_provider: FactsProvider | None = None
) -> DockerfileModel:
    return _Builder(syntax, facts_provider).build()


def runtime_spec(model: DockerfileModel, target: str | None = None) -> RuntimeSpec:
    """The RuntimeSpec of the target stage (the last stage unless ``target`` names one)."""
    stage = model.stage(target)
    chain = model.chain(stage)
    overridden: list[Command] = []
    runs: list[Located] = []
    for member in reversed(chain):
        for role in ("entrypoint", "cmd"):
            mine = [c for c in member.commands_here if c.role == role]
            overridden.extend(mine[:-1])
        runs.extend(member.runs)
        for name in member.root_from:
            copied = next((s for s in model.stages if s.name == name), None)
            if copied is not None and copied is not member:
                runs.extend(run for m in reversed(model.chain(copied)) for run in m.runs)
    shell_family = shell_family_of(_shell_of_pid1(stage), stage.system_sh)
    spec = RuntimeSpec(
        source_kind=SourceKind.DOCKERFILE,
        path=model.syntax.path,
        name=stage.label,
        span=stage.from_instruction.span,
        base_image=stage.external_base,
        base_facts=stage.base_facts,
        shell_family=shell_family,
        entrypoint=stage.entrypoint,
        cmd=stage.cmd,
        stop_signal=stage.stop_signal,
        user=stage.user,
        overridden=tuple(overridden),
        reset_cmd=stage.reset_cmd,
        build_context=str(Path(model.syntax.path).parent),
        run_commands=tuple(runs),
        go_binaries=tuple(path for member in chain for path in member.go_binaries),
    )
    pid1 = spec.pid1_command
    init = find_init(spec.argv, pid1.span if pid1 else None)
    return spec._replace(init=init)


def load_dockerfile_text(
    text: str, path: str, target: str | None = None, facts_provider: FactsProvider | None = None
) -> RuntimeSpec:
    return runtime_spec(build_model(parse_dockerfile(text, path), facts_provider), target)

"""Compose loader: one RuntimeSpec per service, with compose's semantics.

- ``build:`` links the service to its Dockerfile's RuntimeSpec (context, dockerfile, target);
  ``image:`` alone is an image known only by name (``knowledge.images``): its ENTRYPOINT may
  be known, its CMD never is, so a service that does not set ``entrypoint`` gets no argv and
  the rules that need one stay quiet; app code bind-mounted from the project
  (``./src:/srv``) is read as the app, as if it were COPY'd into the image;
- ``entrypoint`` / ``command`` strings are split into words like a shell would but never run in
  a shell; a set ``entrypoint`` discards the image CMD; ``null`` keeps the image's value,
  ``[]`` and ``''`` clear it (an empty ``entrypoint`` leaves the image CMD to run, as the
  engine does when the ENTRYPOINT it gets is empty);
- ``init: true`` puts docker-init (tini) in front as PID 1; ``stop_signal``,
  ``stop_grace_period``; ``$VAR`` / ``${VAR:-default}`` / ``$$`` from the environment and
  ``.env``; ``extends`` (same or another local file) and ``include`` of local files;
- profiles do not hide services.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from initlint.errors import InputError
from initlint.knowledge.images import image_facts
from initlint.model import (
    Command,
    CommandForm,
    CommandRole,
    InitInfo,
    Located,
    RuntimeSpec,
    ShellFamily,
    SourceKind,
    Span,
    StopSignal,
)
from initlint.pid1.argv import find_init
from initlint.reading import read_text_file
from initlint.sources.app_files import AppFiles
from initlint.sources.command_words import CommandWordsError, SplitWord, split_command
from initlint.sources.compose_interpolation import (
    InterpolationError,
    interpolate,
    project_environment,
)
from initlint.sources.dockerfile import DockerfileModel, FactsProvider
from initlint.sources.yaml_positions import (
    YDocument,
    YEntry,
    YMapping,
    YScalar,
    YSequence,
    YValue,
    describe_kind,
    load_documents,
    scalar_text,
)

COMPOSE_TAGS = frozenset({"!reset", "!override"})
MAX_EXTENDS_DEPTH = 10
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(us|ms|s|m|h)")
_DURATION_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


class ComposeService:
    """A service as written in this file (what suppressions and the fixer work on)."""

    __slots__ = ("key", "name", "node", "path", "settings")

    def __init__(self, name: str, key: YScalar, node: YMapping | None, path: str) -> None:
        self.name = name
        self.key = key
        self.node = node  # None: ``web:`` with nothing after it
        self.path = path
        # the settings in effect (own keys over ``extends``), each with the folder it is
        # relative to
        self.settings: dict[str, tuple[YEntry, Path]] = {}


class ComposeProject:
    """The services of one compose file, filled service by service."""

    __slots__ = ("app_files", "documents", "notes", "path", "services", "specs")

    def __init__(self, path: str, documents: list[YDocument]) -> None:
        self.path = path
        self.documents = documents
        self.services: list[ComposeService] = []
        self.specs: list[RuntimeSpec] = []
        self.notes: list[str] = []
        # per spec: where its app files are, for the evidence layer (None: nowhere to read)
        self.app_files: list[AppFiles | None] = []

    def service(self, name: str) -> ComposeService | None:
        return next((s for s in self.services if s.name == name), None)


class _Loader:
    def __init__(self, path: str, env: Mapping[str, str], folder: Path) -> None:
        self.path = path
        self.env = env
        self.folder = folder
        self.notes: list[str] = []
        self._other_files: dict[Path, dict[str, YMapping | None]] = {}
        self.facts_provider: FactsProvider | None = None

    def fail(self, node: YValue | YScalar, message: str, path: str | None = None) -> InputError:
        return InputError(path or node.path, message, node.start.line)

    # --- values --------------------------------------------------------------------------

    def text(self, node: YValue) -> str | None:
        """A scalar's value, interpolated; None for null."""
        raw = scalar_text(node)
        if raw is None:
            return None
        if isinstance(node, YScalar) and node.kind != "str":
            return raw
        try:
            return interpolate(raw, self.env)
        except InterpolationError as error:
            raise self.fail(node, str(error)) from None

    # --- services ------------------------------------------------------------------------

    def services_of(self, root: YMapping, path: str) -> dict[str, YMapping | None]:
        node = root.get("services")
        if node is None or (isinstance(node, YScalar) and node.is_null):
            return {}
        if not isinstance(node, YMapping):
            raise self.fail(node, f"services must be a mapping, not {describe_kind(node)}", path)
        found: dict[str, YMapping | None] = {}
        for entry in node.entries:
            value = entry.value
            if isinstance(value, YScalar) and value.is_null:
                found[entry.key.value] = None
            elif isinstance(value, YMapping):
                found[entry.key.value] = value
            else:
                raise self.fail(
                    entry.key,
                    f"service {entry.key.value!r} must be a mapping, not {describe_kind(value)}",
                    path,
                )
        return found

    def other_file(self, file: Path, near: YValue) -> dict[str, YMapping | None]:
        file = file.resolve()
        if file not in self._other_files:
            try:
                text = read_text_file(file)
            except OSError as error:
                raise self.fail(near, f"cannot read {file}: {error.strerror or error}") from None
            documents = load_documents(text, str(file), COMPOSE_TAGS)
            root = documents[0].root if documents else None
            if not isinstance(root, YMapping):
                raise self.fail(near, f"{file} is not a compose file")
            self._other_files[file] = self.services_of(root, str(file))
        return self._other_files[file]

    def settings(
        self,
        name: str,
        node: YMapping | None,
        folder: Path,
        services: Mapping[str, YMapping | None],
        depth: int = 0,
    ) -> dict[str, tuple[YEntry, Path]]:
        """The service's keys in effect: its own over those it ``extends``."""
        found: dict[str, tuple[YEntry, Path]] = {}
        if node is None:
            return found
        extends = node.get("extends")
        if extends is not None:
            if depth >= MAX_EXTENDS_DEPTH:
                raise self.fail(extends, f"extends nested more than {MAX_EXTENDS_DEPTH} deep")
            base_name, base_file = self._extends_target(extends)
            base_folder, base_services = folder, services
            if base_file is not None:
                file = folder / base_file
                base_services = self.other_file(file, extends)
                base_folder = file.resolve().parent
            if base_name not in base_services:
                raise self.fail(extends, f"extends: no service {base_name!r} to extend")
            if base_file is None and base_name == name:
                raise self.fail(extends, f"service {name!r} extends itself")
            found.update(
                self.settings(
                    base_name, base_services[base_name], base_folder, base_services, depth + 1
                )
            )
        for entry in node.entries:
            if entry.key.value == "extends":
                continue
            # a ``!reset`` entry stays until the settings are final (an override file's are
            # merged over its base file's), then removes the key
            found[entry.key.value] = (entry, folder)
        return found

    def _extends_target(self, node: YValue) -> tuple[str, str | None]:
        if isinstance(node, YScalar):
            return self.text(node) or "", None
        if isinstance(node, YMapping):
            service = node.get("service")
            file = node.get("file")
            if service is None:
                raise self.fail(node, "extends needs a service")
            return self.text(service) or "", (self.text(file) if file is not None else None)
        raise self.fail(node, "extends must be a service name or a mapping")

    # --- one service ---------------------------------------------------------------------

    def spec(self, service: ComposeService) -> tuple[RuntimeSpec, AppFiles | None]:
        settings = service.settings
        base = self.base(service)
        entrypoint_set = "entrypoint" in settings and not _is_null(settings["entrypoint"][0])
        command_set = "command" in settings and not _is_null(settings["command"][0])
        entrypoint: Command | None = base.entrypoint
        cmd: Command | None = base.cmd
        argv_known = base.argv_known
        entrypoint_known = base.entrypoint_known
        reset_cmd: Command | None = None
        if entrypoint_set:
            entrypoint = self.command(settings["entrypoint"][0], "entrypoint")
            entrypoint_known = True
            if entrypoint.argv:
                reset_cmd, cmd = cmd, None
                argv_known = True
            else:
                # ``[]`` / ``''``: no ENTRYPOINT; the engine then runs the image CMD
                entrypoint = None
        if command_set:
            cmd = self.command(settings["command"][0], "cmd")
            reset_cmd = None
            argv_known = argv_known or entrypoint_known
        if not argv_known:
            entrypoint = cmd = None
        stop = self.stop_signal(settings) or base.stop_signal
        spec = RuntimeSpec(
            source_kind=SourceKind.COMPOSE,
            path=self.path,
            name=service.name,
            span=service.key.span,
            base_image=base.image,
            shell_family=base.shell_family,
            entrypoint=entrypoint,
            cmd=cmd,
            stop_signal=stop,
            stop_grace_seconds=self.grace(settings),
            user=self.scalar_setting(settings, "user") or base.user,
            reset_cmd=reset_cmd,
            build_context=str(base.context) if base.context else None,
            run_commands=base.run_commands,
        )
        init = self.init(settings)
        if init is None:
            pid1 = spec.pid1_command
            init = find_init(spec.argv, pid1.span if pid1 else None)
        spec = spec._replace(init=init)
        return spec, self.app_files(spec, base)

    def scalar_setting(self, settings: Mapping[str, tuple[YEntry, Path]], key: str) -> str | None:
        if key not in settings:
            return None
        return self.text(settings[key][0].value)

    def command(self, entry: YEntry, role: CommandRole) -> Command:
        node = entry.value
        words: list[Located] = []
        if isinstance(node, YSequence):
            for item in node.items:
                value = self.text(item) if isinstance(item, YScalar) else None
                if value is None:
                    raise self.fail(item, f"{entry.key.value} items must be strings")
                words.append(Located(value, item.span))
        elif isinstance(node, YScalar):
            value = self.text(node) or ""
            try:
                split = split_command(value)
            except CommandWordsError as error:
                raise self.fail(node, f"{entry.key.value}: {error}") from None
            words = [Located(word.value, _word_span(node, value, word)) for word in split]
        else:
            raise self.fail(node, f"{entry.key.value} must be a string or a list of strings")
        span = entry.key.span.cover(node.span)
        return Command(
            role=role,
            form=CommandForm.EXEC,
            argv=tuple(word.value for word in words),
            span=span,
            words=tuple(words),
            keyword_span=entry.key.span,
        )

    def stop_signal(self, settings: Mapping[str, tuple[YEntry, Path]]) -> StopSignal | None:
        if "stop_signal" not in settings:
            return None
        entry = settings["stop_signal"][0]
        value = self.text(entry.value)
        if value is None:
            return None
        return StopSignal(value, entry.key.span.cover(entry.value.span))

    def grace(self, settings: Mapping[str, tuple[YEntry, Path]]) -> float | None:
        if "stop_grace_period" not in settings:
            return None
        node = settings["stop_grace_period"][0].value
        value = self.text(node)
        if value is None:
            return None
        seconds = parse_duration(value)
        if seconds is None:
            raise self.fail(node, f"stop_grace_period {value!r} is not a duration (10s, 1m30s)")
        return seconds

    def init(self, settings: Mapping[str, tuple[YEntry, Path]]) -> InitInfo | None:
        if "pid" in settings and (self.scalar_setting(settings, "pid") or "") == "host":
            entry = settings["pid"][0]
            return InitInfo("the host's init", "host-pid", entry.key.span.cover(entry.value.span))
        if "init" not in settings:
            return None
        entry = settings["init"][0]
        node = entry.value
        if isinstance(node, YScalar) and node.is_null:
            return None
        flag = node.as_bool() if isinstance(node, YScalar) else None
        if flag is None and isinstance(node, YScalar):
            text = (self.text(node) or "").lower()
            flag = True if text == "true" else False if text == "false" else None
        if flag is None:
            raise self.fail(node, f"init must be true or false, not {describe_kind(node)}")
        return (
            InitInfo("docker-init", "compose-init", entry.key.span.cover(node.span))
            if flag
            else None
        )

    # --- the image or Dockerfile under the service ---------------------------------------

    def base(self, service: ComposeService) -> _Base:
        settings = service.settings
        image = self.scalar_setting(settings, "image")
        if "build" in settings:
            entry, folder = settings["build"]
            linked = self.build(entry, folder, service.name)
            if linked is not None:
                return linked
        local = self.facts_provider(image) if self.facts_provider and image else None
        facts = local.facts if local is not None else image_facts(image)
        entrypoint: Command | None = None
        image_span = settings["image"][0].value.span if "image" in settings else service.key.span
        if facts.entrypoint:
            entrypoint = Command(
                role="entrypoint",
                form=CommandForm.EXEC,
                argv=facts.entrypoint,
                span=image_span,
                words=tuple(Located(word, image_span) for word in facts.entrypoint),
                inherited_from=image,
            )
        stop = (
            StopSignal(facts.stop_signal, None, inherited_from=image) if facts.stop_signal else None
        )
        found = _Base(
            image=image,
            shell_family=facts.shell,
            entrypoint=entrypoint,
            cmd=None,
            entrypoint_known=facts.entrypoint is not None,
            argv_known=False,  # an image's CMD is never known by name
            stop_signal=stop,
        )
        return self.with_mounted_code(found, settings)

    def with_mounted_code(self, base: _Base, settings: Mapping[str, tuple[YEntry, Path]]) -> _Base:
        """An image with the app's code bind-mounted from the project (a common development
        set-up): the mounts are where the app's files are, so the app's evidence counts."""
        if base.image is None or "volumes" not in settings:
            return base
        entry, folder = settings["volumes"]
        mounts = tuple(self.bind_mounts(entry.value, folder))
        if not mounts:
            return base
        workdir = self.scalar_setting(settings, "working_dir") or "/"
        return base._replace(mount_root=folder, mounts=mounts, workdir=workdir)

    def bind_mounts(self, node: YValue, folder: Path) -> list[tuple[str, str]]:
        """``(source relative to folder, target)`` of each bind mount inside the project."""
        found: list[tuple[str, str]] = []
        items = node.items if isinstance(node, YSequence) else []
        for item in items:
            source = target = None
            if isinstance(item, YScalar):
                parts = (self.text(item) or "").split(":")
                if len(parts) >= 2:
                    source, target = parts[0], parts[1]
            elif isinstance(item, YMapping) and scalar_text(item.get("type")) == "bind":
                source_node, target_node = item.get("source"), item.get("target")
                source = self.text(source_node) if source_node is not None else None
                target = self.text(target_node) if target_node is not None else None
            if not source or not target or not source.startswith((".", "/")):
                continue  # a named volume
            path = (folder / source).resolve()
            try:
                relative = path.relative_to(folder.resolve())
            except ValueError:
                continue  # outside the project: not the app's code
            if path.exists() and target.startswith("/"):
                found.append((relative.as_posix() or ".", target))
        return found

    def build(self, entry: YEntry, folder: Path, service: str) -> _Base | None:
        from initlint.sources.dockerfile import build_model, runtime_spec
        from initlint.sources.dockerfile_syntax import parse_dockerfile

        node = entry.value
        context_text: str | None
        dockerfile_name = "Dockerfile"
        target: str | None = None
        inline: str | None = None
        if isinstance(node, YScalar):
            context_text = self.text(node)
        elif isinstance(node, YMapping):
            context_node = node.get("context")
            context_text = self.text(context_node) if context_node is not None else "."
            dockerfile_node = node.get("dockerfile")
            if dockerfile_node is not None:
                dockerfile_name = self.text(dockerfile_node) or dockerfile_name
            target_node = node.get("target")
            target = self.text(target_node) if target_node is not None else None
            inline_node = node.get("dockerfile_inline")
            inline = self.text(inline_node) if inline_node is not None else None
        else:
            raise self.fail(node, f"build must be a path or a mapping, not {describe_kind(node)}")
        context_text = context_text or "."
        if "://" in context_text or context_text.startswith("git@"):
            self.notes.append(f"service {service}: build context {context_text} is remote")
            return None
        context = (folder / context_text).resolve()
        dockerfile = Path(dockerfile_name)
        dockerfile_path = dockerfile if dockerfile.is_absolute() else context / dockerfile
        shown = os.path.relpath(dockerfile_path) if inline is None else f"{self.path}#{service}"
        try:
            text = inline if inline is not None else read_text_file(dockerfile_path)
            model = build_model(parse_dockerfile(text, shown), self.facts_provider)
            spec = runtime_spec(model, target)
        except (OSError, InputError, UnicodeDecodeError, RecursionError) as error:
            reason = getattr(error, "message", None) or getattr(error, "strerror", None) or error
            self.notes.append(f"service {service}: Dockerfile {shown} not used: {reason}")
            return None
        return _Base(
            image=spec.base_image,
            shell_family=spec.shell_family,
            entrypoint=spec.entrypoint,
            cmd=spec.cmd,
            entrypoint_known=True,
            argv_known=True,
            stop_signal=spec.stop_signal,
            user=spec.user,
            context=context,
            run_commands=spec.run_commands,
            dockerfile_spec=spec,
            dockerfile_model=model,
        )

    def app_files(self, spec: RuntimeSpec, base: _Base) -> AppFiles | None:
        """Where the service's app files are: its Dockerfile's build context, or the bind
        mounts of its code."""
        if base.dockerfile_model is not None and base.dockerfile_spec is not None:
            as_built = base.dockerfile_spec._replace(
                entrypoint=spec.entrypoint, cmd=spec.cmd, init=spec.init
            )
            root = base.context or self.folder
            return AppFiles(root, model=base.dockerfile_model, dockerfile_spec=as_built)
        if base.mounts and base.mount_root is not None:
            return AppFiles(base.mount_root, mounts=base.mounts, workdir=base.workdir)
        return None


class _Base(NamedTuple):
    image: str | None
    shell_family: ShellFamily
    entrypoint: Command | None
    cmd: Command | None
    entrypoint_known: bool
    argv_known: bool
    stop_signal: StopSignal | None
    user: str | None = None
    context: Path | None = None
    run_commands: tuple[Located, ...] = ()
    dockerfile_spec: RuntimeSpec | None = None
    dockerfile_model: DockerfileModel | None = None
    mount_root: Path | None = None  # bind mounts of the app's code: relative to this folder
    mounts: tuple[tuple[str, str], ...] = ()
    workdir: str = "/"


def _word_span(node: YScalar, value: str, word: SplitWord) -> Span:
    """Where a word of a command string is written, when the string is written as its value
    on one line (plain, or quoted with nothing escaped); otherwise the whole string."""
    if node.start.line != node.end.line or value != node.value:
        return node.span
    shift = 0 if node.style is None else 1
    if (
        node.style not in (None, "'", '"')
        or node.end.column - node.start.column != len(value) + 2 * shift
    ):
        return node.span  # escapes or folding: the characters are not where the value has them
    column = node.start.column + shift
    return Span(node.path, node.start.line, column + word.start, node.start.line, column + word.end)


def _is_null(entry: YEntry) -> bool:
    return isinstance(entry.value, YScalar) and entry.value.is_null


def parse_duration(text: str) -> float | None:
    """Compose durations: ``10s``, ``1m30s``, ``1.5s``, ``500ms``; a bare number is seconds."""
    text = text.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    position, total = 0, 0.0
    for match in _DURATION_PART.finditer(text):
        if match.start() != position:
            return None
        total += float(match.group(1)) * _DURATION_UNITS[match.group(2)]
        position = match.end()
    return total if position == len(text) and position > 0 else None


def is_compose_root(root: YValue | None) -> bool:
    if not isinstance(root, YMapping):
        return False
    keys = set(root.keys())
    return "services" in keys or ("include" in keys and "apiVersion" not in keys)


def load_compose(
    text: str,
    path: str,
    env: Mapping[str, str] | None = None,
    documents: list[YDocument] | None = None,
    facts_provider: FactsProvider | None = None,
) -> ComposeProject:
    """Every service of a compose file as a RuntimeSpec; InputError for what compose rejects.

    ``facts_provider``: base-image facts for the Dockerfiles of ``build:`` services and for the
    images of image-only services (the local engine with ``--local-base-images``), as when a
    Dockerfile is linted."""
    if documents is None:
        documents = load_documents(text, path, COMPOSE_TAGS)
    folder = Path(path).resolve().parent if path != "<stdin>" else Path.cwd()
    loader = _Loader(path, env if env is not None else project_environment(folder), folder)
    loader.facts_provider = facts_provider
    real = [d for d in documents if d.root is not None]
    if len(real) != 1:
        raise InputError(path, "a compose file has exactly one YAML document", 1)
    root = real[0].root
    if not isinstance(root, YMapping):
        raise InputError(path, f"a compose file is a mapping, not {describe_kind(root)}", 1)
    services = loader.services_of(root, path)
    project = ComposeProject(path, documents)
    base = _base_file_settings(loader, path, folder)
    top = root.get("services")
    assert top is None or isinstance(top, (YMapping, YScalar))
    for entry in top.entries if isinstance(top, YMapping) else []:
        name = entry.key.value
        node = services[name]
        service = ComposeService(name, entry.key, node, path)
        service.settings = {**base.get(name, {}), **loader.settings(name, node, folder, services)}
        for key in [k for k, (e, _) in service.settings.items() if e.value.tag == "!reset"]:
            del service.settings[key]
        project.services.append(service)
        spec, files = loader.spec(service)
        project.specs.append(spec)
        project.app_files.append(files)
    one_off = _completed_first(project.services)
    project.specs = [
        spec._replace(runs_to_completion="a compose one-off service")
        if spec.name in one_off
        else spec
        for spec in project.specs
    ]
    for spec, files in _included_specs(loader, root, folder):
        project.specs.append(spec)
        project.app_files.append(files)
    project.notes = loader.notes
    return project


def base_compose_file(path: str) -> Path | None:
    """The file an override (``compose.prod.yaml``) is applied on: ``compose.yaml`` (or
    ``docker-compose.yml``, ...) in the same folder; None for a file that is no override."""
    name = os.path.basename(path)
    if not re.fullmatch(r"(docker-)?compose\.[^/]+\.ya?ml", name):
        return None
    folder = Path(path).parent
    for candidate in ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"):
        if (folder / candidate).is_file():
            return folder / candidate
    return None


def _base_file_settings(
    loader: _Loader, path: str, folder: Path
) -> dict[str, dict[str, tuple[YEntry, Path]]]:
    """For an override file, each service's settings in the base file it overrides."""
    base = base_compose_file(path)
    if base is None:
        return {}
    try:
        text = read_text_file(base)
        documents = load_documents(text, os.path.relpath(base), COMPOSE_TAGS)
    except (OSError, UnicodeDecodeError, InputError) as error:
        loader.notes.append(f"base file {base} not used: {error}")
        return {}
    root = documents[0].root if documents else None
    if not isinstance(root, YMapping):
        return {}
    services = loader.services_of(root, str(base))
    return {name: loader.settings(name, node, folder, services) for name, node in services.items()}


def _included_specs(
    loader: _Loader, root: YMapping, folder: Path
) -> list[tuple[RuntimeSpec, AppFiles | None]]:
    """The services of ``include``d local files (linted here, with their own paths)."""
    include = root.get("include")
    if include is None:
        return []
    if not isinstance(include, YSequence):
        raise loader.fail(include, "include must be a list")
    specs: list[tuple[RuntimeSpec, AppFiles | None]] = []
    for item in include.items:
        files: list[YValue] = []
        if isinstance(item, YMapping):
            paths = item.get("path")
            if isinstance(paths, YSequence):
                files.extend(paths.items)
            elif paths is not None:
                files.append(paths)
        else:
            files.append(item)
        for file_node in files:
            name = loader.text(file_node)
            if not name:
                continue
            if "://" in name:
                loader.notes.append(f"include {name}: remote, not read")
                continue
            file = (folder / name).resolve()
            try:
                text = read_text_file(file)
            except OSError as error:
                message = f"include: cannot read {name}: {error.strerror}"
                raise loader.fail(file_node, message) from None
            shown = os.path.relpath(file)
            included = load_compose(text, shown, loader.env)
            specs.extend(zip(included.specs, included.app_files))
            loader.notes.extend(included.notes)
    return specs


def _completed_first(services: list[ComposeService]) -> set[str]:
    """Services another one waits for with ``condition: service_completed_successfully``:
    migrations, seeders and other tasks that run once and exit."""
    found: set[str] = set()
    for service in services:
        entry = service.settings.get("depends_on")
        node = entry[0].value if entry is not None else None
        if not isinstance(node, YMapping):
            continue
        for dependency in node.entries:
            settings = dependency.value
            if isinstance(settings, YMapping) and (
                scalar_text(settings.get("condition")) == "service_completed_successfully"
            ):
                found.add(dependency.key.value)
    return found

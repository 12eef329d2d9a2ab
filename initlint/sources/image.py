"""Built images as runtimes: the RuntimeSpec of a container run from a local image with no
overrides, and its copied files as the build context the evidence layer reads.

The engine access (inspect, file reading) is :mod:`initlint.engine.images`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from initlint.engine.images import (
    BASE_NAME_LABEL,
    DEFAULT_SHELL,
    EngineUnavailable,
    ImageInspection,
    LocalImageFacts,
    connect,
    image_span,
    inspect_image,
)
from initlint.errors import InputError
from initlint.model import (
    Command,
    CommandForm,
    CommandRole,
    Finding,
    Located,
    RuntimeSpec,
    ShellFamily,
    SourceKind,
    Span,
    StopSignal,
)
from initlint.pid1.argv import find_init, shell_family_of


class LoadedImage(NamedTuple):
    """An image's RuntimeSpec, and what was read of it: its config and copied files (the
    build context of an image)."""

    spec: RuntimeSpec
    inspection: ImageInspection


def image_command(
    role: CommandRole, words: tuple[str, ...], shell: tuple[str, ...], span: Span
) -> Command:
    """An image's ENTRYPOINT/CMD. ``SHELL + one string`` is how the builder stores shell form
    (and behaves exactly like it when written as exec form), so it is read as shell form."""
    if len(words) == len(shell) + 1 and words[: len(shell)] == shell:
        script = Located(words[-1], span)
        return Command(
            role=role,
            form=CommandForm.SHELL,
            argv=words,
            span=span,
            words=(script,),
            shell=shell,
            script=script,
        )
    return Command(
        role=role,
        form=CommandForm.EXEC,
        argv=words,
        span=span,
        words=tuple(Located(word, span) for word in words),
    )


def image_runtime_spec(inspection: ImageInspection) -> RuntimeSpec:
    """The RuntimeSpec of a container run from the image with no overrides."""
    config = inspection.config
    span = image_span(config.reference)
    shell = config.shell or DEFAULT_SHELL
    entrypoint = (
        image_command("entrypoint", config.entrypoint, shell, span) if config.entrypoint else None
    )
    cmd = image_command("cmd", config.cmd, shell, span) if config.cmd else None
    shell_family = (
        shell_family_of(shell[0], inspection.facts.facts.shell) if shell else ShellFamily.NONE
    )
    stop_signal = StopSignal(config.stop_signal, span) if config.stop_signal else None
    spec = RuntimeSpec(
        source_kind=SourceKind.IMAGE,
        path=span.path,
        name=config.reference,
        span=span,
        # the OCI annotation names the base exactly when the builder recorded it
        base_image=config.labels.get(BASE_NAME_LABEL) or config.reference,
        shell_family=shell_family,
        entrypoint=entrypoint,
        cmd=cmd,
        stop_signal=stop_signal,
        user=config.user,
        build_context=inspection.files_root,
    )
    pid1 = spec.pid1_command
    return spec._replace(init=find_init(spec.argv, pid1.span if pid1 else None))


def image_display_path(spec: RuntimeSpec, path: str) -> str:
    """``image:REF:/path/in/image`` for a file copied out of the image; others unchanged.

    A tag never holds a ``/``, so the path after the last ``:/`` is unambiguous.
    """
    if spec.source_kind is not SourceKind.IMAGE or not spec.build_context:
        return path
    root = spec.build_context.rstrip("/")
    if path == root or not path.startswith(root + "/"):
        return path
    return f"{spec.span.path}:{path[len(root) :]}"


def relocate_findings(spec: RuntimeSpec, findings: Iterable[Finding]) -> list[Finding]:
    """Findings whose spans point into the temporary copy of an image's files, pointed at the
    image instead (the copy is deleted when initlint exits)."""
    moved: list[Finding] = []
    for finding in findings:
        shown = image_display_path(spec, finding.span.path)
        if shown != finding.span.path:
            finding = finding._replace(span=finding.span._replace(path=shown))
        moved.append(finding)
    return moved


def load_images(refs: Sequence[str], pull: bool = False) -> list[LoadedImage]:
    """Each image's RuntimeSpec and inspection, in order; InputError for the first that
    cannot be read."""
    if not refs:
        return []
    try:
        client = connect()
    except EngineUnavailable as error:
        raise InputError(refs[0], str(error)) from None
    try:
        loaded: list[LoadedImage] = []
        for ref in refs:
            inspection = inspect_image(client, ref, pull)
            loaded.append(LoadedImage(image_runtime_spec(inspection), inspection))
        return loaded
    finally:
        client.close()


# --- what a Dockerfile stage inherits from a local base image --------------------------------


class InheritedConfig(NamedTuple):
    """The base image's config as a FROM stage starts with it."""

    entrypoint: Command | None
    cmd: Command | None
    shell: tuple[str, ...]
    user: str | None
    workdir: str
    env: dict[str, str]


def inherited_config(facts: LocalImageFacts, from_span: Span) -> InheritedConfig | None:
    """ENTRYPOINT/CMD/SHELL/USER/WORKDIR/ENV a stage inherits from a local base image.

    The commands point at the FROM instruction and say which image they come from.
    """
    config = facts.config
    if config is None:
        return None
    shell = config.shell or DEFAULT_SHELL

    def command(role: CommandRole, words: tuple[str, ...] | None) -> Command | None:
        if not words:
            return None
        made = image_command(role, words, shell, from_span)
        return made._replace(inherited_from=config.reference)

    return InheritedConfig(
        entrypoint=command("entrypoint", config.entrypoint),
        cmd=command("cmd", config.cmd),
        shell=shell,
        user=config.user,
        workdir=config.working_dir or "/",
        env=dict(config.env),
    )


def read_refs(lines: Iterable[str]) -> Iterator[str]:
    """Image references from ``--image -`` input: one a line, blanks and ``#`` comments skipped."""
    for line in lines:
        ref = line.split("#", 1)[0].strip()
        if ref:
            yield ref

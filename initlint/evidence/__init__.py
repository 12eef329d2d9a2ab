"""App evidence: follow PID 1 into the build context and read what the app does (SPEC §4).

``collect_evidence`` is what the pipeline calls for each Dockerfile RuntimeSpec; rules then
read only ``spec.evidence``. Nothing here imports or runs the app.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from initlint.model import AppEvidence, RuntimeSpec, SourceKind
from initlint.sources.dockerfile import DockerfileModel, Stage


def collect_evidence(
    spec: RuntimeSpec,
    model: DockerfileModel,
    context_dir: Path,
    overrides: Mapping[str, str] | None = None,
) -> AppEvidence | None:
    """What PID 1 will run, read from ``context_dir``; None when there is nothing to follow.

    ``overrides`` maps paths on disk to text that replaces the file's content (a fix being
    verified before it is written).
    """
    from initlint.checks.analysis import system_shell
    from initlint.evidence.context import build_context
    from initlint.evidence.resolve import Resolver, environment

    if spec.source_kind is not SourceKind.DOCKERFILE or not spec.argv:
        return None
    stage = _stage(model, spec.name)
    if stage is None:
        return None
    context = build_context(model, stage, context_dir, overrides)
    env = environment(stage.workdir, stage.env, system_shell(spec))
    return Resolver(context, env).evidence(spec.argv)


def _stage(model: DockerfileModel, label: str) -> Stage | None:
    for stage in model.stages:
        if stage.label == label:
            return stage
    return None


__all__ = ["collect_evidence"]

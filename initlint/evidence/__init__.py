"""App evidence: follow PID 1 into the build context and read what the app does .

``collect_evidence`` is what the pipeline calls for each Dockerfile RuntimeSpec; rules then
read only ``spec.evidence``. Nothing here imports or runs the app.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from initlint.model import AppEvidence, RuntimeSpec, SourceKind
from initlint.sources.dockerfile import DockerfileModel, Stage


def collect_evidence(
    spec: RuntimeSpec,
    model: DockerfileModel,
    context_dir: str | os.PathLike[str],
    overrides: Mapping[str, str] | None = None,
) -> AppEvidence | None:
    """What PID 1 will run, read from ``context_dir``; None when there is nothing to follow.

    ``overrides`` maps paths on disk to text that replaces the file's content (a fix being
    verified before it is written).
    """
    from initlint.evidence.context import build_context
    from initlint.evidence.package_scripts import with_package_script
    from initlint.evidence.resolve import Resolver, environment
    from initlint.knowledge.images import base_facts
    from initlint.pid1.startup import system_shell

    if spec.source_kind is not SourceKind.DOCKERFILE or not spec.argv:
        return None
    stage = _stage(model, spec.name)
    if stage is None:
        return None
    context = build_context(model, stage, context_dir, overrides)
    env = environment(stage.workdir, stage.env, system_shell(spec))
    # A base image's own ENTRYPOINT is not in spec.argv: it must be known to be empty, or
    # one that execs its arguments (node's docker-entrypoint.sh), or set in the Dockerfile.
    entrypoint_known = spec.entrypoint is not None or base_facts(spec).entrypoint is not None
    resolver = Resolver(context, env, go_binaries=spec.go_binaries)
    evidence = resolver.evidence(spec.argv, entrypoint_known)
    return with_package_script(evidence, spec, context, stage.workdir)


def attach_evidence(
    spec: RuntimeSpec,
    model: DockerfileModel,
    dockerfile_path: str,
    context_dir: str | None = None,
    overrides: Mapping[str, str] | None = None,
) -> RuntimeSpec:
    """``spec`` with its app evidence; the build context is the Dockerfile's folder unless
    ``context_dir`` says otherwise. A Dockerfile read from stdin has no context: no evidence.

    Evidence is best effort: if reading the app fails in a way initlint did not foresee, the
    spec keeps ``evidence=None`` and the evidence rules stay quiet (precision first) rather
    than the whole file failing to lint.
    """
    if context_dir is None:
        if not os.path.isfile(dockerfile_path):
            return spec
        context_dir = os.path.dirname(dockerfile_path) or "."
    try:
        evidence = collect_evidence(spec, model, context_dir, overrides)
    except Exception:  # see the docstring
        return spec
    return spec._replace(evidence=evidence)


def _stage(model: DockerfileModel, label: str) -> Stage | None:
    for stage in model.stages:
        if stage.label == label:
            return stage
    return None


__all__ = ["attach_evidence", "collect_evidence"]

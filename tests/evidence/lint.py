"""Lint a Dockerfile with app evidence and the evidence rules, as the pipeline will."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from initlint.checks.base import Rule
from initlint.checks.il201_missing_init_for_spawning_app import missing_init_for_spawning_app
from initlint.checks.il202_pid1_ignores_sigterm import pid1_ignores_sigterm
from initlint.checks.il203_init_misconfigured import init_misconfigured
from initlint.checks.il301_entrypoint_script_without_exec import entrypoint_script_without_exec
from initlint.checks.il302_entrypoint_script_background_jobs import (
    entrypoint_script_background_jobs,
)
from initlint.evidence import collect_evidence
from initlint.model import Finding, RuntimeSpec
from initlint.sources.dockerfile import build_model, runtime_spec
from initlint.sources.dockerfile_syntax import parse_dockerfile

EVIDENCE_RULES: tuple[Rule, ...] = (
    missing_init_for_spawning_app,
    pid1_ignores_sigterm,
    init_misconfigured,
    entrypoint_script_without_exec,
    entrypoint_script_background_jobs,
)


def spec_with_evidence(
    dockerfile: Path, text: str | None = None, overrides: Mapping[str, str] | None = None
) -> RuntimeSpec:
    source = dockerfile.read_text() if text is None else text
    model = build_model(parse_dockerfile(source, str(dockerfile)))
    spec = runtime_spec(model)
    evidence = collect_evidence(spec, model, dockerfile.parent, overrides)
    return spec._replace(evidence=evidence)


def lint(
    dockerfile: Path, text: str | None = None, overrides: Mapping[str, str] | None = None
) -> list[Finding]:
    spec = spec_with_evidence(dockerfile, text, overrides)
    return [finding for rule in EVIDENCE_RULES for finding in rule.check(spec)]

"""Compose files and Kubernetes manifests in the pipeline: load, run the rules on each
service or container, keep the findings that are this file's, apply the comment ignores."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from initlint.checks.base import Rule
from initlint.checks.runner import run_rules
from initlint.errors import InputError
from initlint.evidence.runtimes import with_app_evidence
from initlint.ignores import find_yaml_suppressions
from initlint.model import Finding, Prediction, RuntimeSpec, SourceKind
from initlint.results import YamlLinted
from initlint.sources.dockerfile import FactsProvider
from initlint.sources.yaml_inputs import load_yaml

RuleFailure = Callable[[str, BaseException, str], InputError]


def _relocate(finding: Finding, spec: RuntimeSpec, writing: frozenset[str]) -> Finding | None:
    """A compose finding about a command the service inherits (from its Dockerfile, or from
    the base file of an override).

    Problems in how that command is written are the other file's findings and are reported
    when it is linted; the others are about the service (an init, the stop signal), which can
    fix them, and point at the service, saying where the command comes from.
    """
    if finding.span.path == spec.path:
        return finding
    pid1 = spec.pid1_command
    if pid1 is not None and pid1.span.path == spec.path:
        return finding  # the service sets the command: the finding is the service's own
    if finding.rule_id in writing:
        return None
    where = f"{finding.span.path}:{finding.span.line}"
    return finding._replace(
        span=spec.span, message=f"{finding.message} (the command is set in {where})"
    )


def lint_yaml_text(
    text: str, path: str, rules: Sequence[Rule], rule_failure: RuleFailure
) -> tuple[list[Finding], list[str], list[InputError], list[str]]:
    """Findings (suppressions applied, sorted), their snippets, rule failures, notes."""
    linted = lint_yaml_outcome(text, path, rules, rule_failure)
    return linted.findings, linted.snippets, linted.failures, linted.notes


def lint_yaml_outcome(
    text: str,
    path: str,
    rules: Sequence[Rule],
    rule_failure: RuleFailure,
    facts_provider: FactsProvider | None = None,
) -> YamlLinted:
    """``facts_provider``: base-image facts for compose ``build:`` Dockerfiles (the local
    engine with ``--local-base-images``), as when the Dockerfile itself is linted."""
    loaded = load_yaml(text, path, facts_provider)
    writing = frozenset(rule.id for rule in rules if rule.about_writing)
    findings: list[Finding] = []
    failures: list[InputError] = []
    runtimes: list[Prediction] = []
    files = loaded.app_files or [None] * len(loaded.specs)
    assert len(files) == len(loaded.specs)
    for spec, app_files in zip(loaded.specs, files):
        spec = with_app_evidence(spec, app_files)
        run = run_rules(spec, rules)
        failures.extend(rule_failure(path, f.error, f.where) for f in run.failures)
        if run.prediction is not None:
            runtimes.append(run.prediction)
        found = run.findings
        if spec.source_kind is SourceKind.COMPOSE:
            found = [f for f in (_relocate(f, spec, writing) for f in found) if f is not None]
        findings.extend(found)
    suppressions = find_yaml_suppressions(
        text, [(b.first_line, b.last_line) for b in loaded.blocks]
    )
    findings = _unique(suppressions.filter(findings, path))
    findings.sort(key=Finding.sort_key)
    lines = text.split("\n")
    snippets = [_snippet(finding, path, lines) for finding in findings]
    return YamlLinted(findings, snippets, failures, runtimes, loaded.notes)


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, int, int, str]] = set()
    out: list[Finding] = []
    for finding in findings:
        key = (finding.rule_id, finding.span.path, finding.span.line, finding.span.column,
               finding.container)  # fmt: skip
        if key not in seen:
            seen.add(key)
            out.append(finding)
    return out


def _snippet(finding: Finding, path: str, lines: list[str]) -> str:
    if finding.span.path != path:
        from initlint.reading import read_text_file

        try:
            lines = read_text_file(finding.span.path, errors="replace").split("\n")
        except OSError:
            return ""
    chosen = lines[finding.span.line - 1 : finding.span.end_line]
    return "\n".join(line.strip() for line in chosen)

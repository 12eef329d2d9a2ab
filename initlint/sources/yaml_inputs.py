"""YAML inputs: tell compose files from Kubernetes manifests, load them, lint their specs.

What a file is comes from its content (``services:`` / ``include:`` at the top: compose;
``apiVersion`` + ``kind`` in every document: Kubernetes). The pipeline calls
:func:`lint_yaml_text`; the fixers call :func:`load_yaml` to re-read the text they edit.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from initlint.checks.base import Rule
from initlint.errors import InputError
from initlint.model import Finding, Prediction, RuntimeSpec, SourceKind

COMPOSE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
_COMPOSE_OVERRIDE = re.compile(r"^(docker-)?compose\.[^/]+\.ya?ml$")
_API_VERSION_HINT = re.compile(r"^\s*(- )?apiVersion\s*:", re.MULTILINE)
_KIND_HINT = re.compile(r"^\s*(- )?kind\s*:", re.MULTILINE)
_COMPOSE_HINT = re.compile(r"^(services|include)\s*:", re.MULTILINE)
# rules about how a command is written: reported by the file that writes it (the Dockerfile,
# a script, the base compose file of an override), not again by the service that inherits it
_ABOUT_THE_WRITING = frozenset(
    {"IL101", "IL102", "IL103", "IL104", "IL105", "IL106", "IL107", "IL301", "IL302"}
)


class NotComposeOrKubernetes(InputError):
    """Clean YAML that is neither: skipped with a note, whether named or found in a folder."""


RuleFailure = Callable[[str, BaseException, str], InputError]


def is_compose_name(name: str) -> bool:
    base = os.path.basename(name)
    return base in COMPOSE_NAMES or bool(_COMPOSE_OVERRIDE.match(base))


def is_yaml_name(name: str) -> bool:
    return name.endswith((".yaml", ".yml"))


def looks_like_yaml_input(text: str) -> bool:
    """Cheap test for text from stdin or a folder: a manifest or a compose file, probably."""
    return looks_like_manifest_or_compose(text) or text.startswith("---")


def looks_like_manifest_or_compose(text: str) -> bool:
    manifest = _API_VERSION_HINT.search(text) and _KIND_HINT.search(text)
    return bool(manifest or _COMPOSE_HINT.search(text))


@dataclass
class YamlBlock:
    """A service or container: findings inside it can be silenced by a comment before it."""

    first_line: int
    last_line: int


@dataclass
class YamlLoad:
    kind: SourceKind
    specs: list[RuntimeSpec]
    blocks: list[YamlBlock]
    notes: list[str]
    project: object  # ComposeProject or KubeManifests


def load_yaml(text: str, path: str) -> YamlLoad:
    """Load a compose file or Kubernetes manifests; InputError for anything else."""
    from initlint.sources.compose import COMPOSE_TAGS, is_compose_root, load_compose
    from initlint.sources.kubernetes import is_manifest, load_kubernetes
    from initlint.sources.yaml_positions import helm_template_line, load_documents

    documents = load_documents(text, path, COMPOSE_TAGS)
    roots = [d.root for d in documents if d.root is not None]
    if not roots:
        raise NotComposeOrKubernetes(
            path, "empty YAML: no compose services or Kubernetes objects", 1
        )
    if any(is_manifest(root) for root in roots):
        manifests = load_kubernetes(text, path, documents)
        blocks = [_block(c.node.start.line, c.node.end) for c in manifests.containers]
        return YamlLoad(SourceKind.KUBERNETES, manifests.specs, blocks, [], manifests)
    if len(roots) == 1 and is_compose_root(roots[0]):
        project = load_compose(text, path, documents=documents)
        blocks = [
            _block(s.key.start.line, s.node.end if s.node is not None else s.key.end)
            for s in project.services
        ]
        return YamlLoad(SourceKind.COMPOSE, project.specs, blocks, project.notes, project)
    helm = helm_template_line(text)
    if helm is not None:
        raise InputError(
            path,
            "unrendered Helm template ({{ ... }}): lint the output of `helm template` "
            "(helm template . | initlint -)",
            helm,
        )
    raise NotComposeOrKubernetes(
        path,
        "not a compose file (no services:) or Kubernetes manifest (no apiVersion and kind)",
        documents[0].start_line,
    )


def _block(first_line: int, end: object) -> YamlBlock:
    from initlint.sources.yaml_positions import Position

    assert isinstance(end, Position)
    # a block collection ends at the start of the next line: that line is not in it
    last = end.line - 1 if end.column == 1 and end.line > first_line else end.line
    return YamlBlock(first_line, last)


def _relocate(finding: Finding, spec: RuntimeSpec) -> Finding | None:
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
    if finding.rule_id in _ABOUT_THE_WRITING:
        return None
    where = f"{finding.span.path}:{finding.span.line}"
    return dataclasses.replace(
        finding, span=spec.span, message=f"{finding.message} (the command is set in {where})"
    )


@dataclass
class YamlLinted:
    findings: list[Finding]  # suppressions applied, sorted
    snippets: list[str]
    failures: list[InputError]
    notes: list[str]
    runtimes: list[Prediction]  # one per service or container


def lint_yaml_text(
    text: str, path: str, rules: Sequence[Rule], rule_failure: RuleFailure
) -> tuple[list[Finding], list[str], list[InputError], list[str]]:
    """Findings (suppressions applied, sorted), their snippets, rule failures, notes."""
    linted = lint_yaml_outcome(text, path, rules, rule_failure)
    return linted.findings, linted.snippets, linted.failures, linted.notes


def lint_yaml_outcome(
    text: str, path: str, rules: Sequence[Rule], rule_failure: RuleFailure
) -> YamlLinted:
    from initlint.checks.runner import run_rules
    from initlint.ignores import find_yaml_suppressions

    loaded = load_yaml(text, path)
    findings: list[Finding] = []
    failures: list[InputError] = []
    runtimes: list[Prediction] = []
    for spec in loaded.specs:
        run = run_rules(spec, rules)
        failures.extend(rule_failure(path, f.error, f.where) for f in run.failures)
        if run.prediction is not None:
            runtimes.append(run.prediction)
        found = run.findings
        if spec.source_kind is SourceKind.COMPOSE:
            found = [f for f in (_relocate(f, spec) for f in found) if f is not None]
        findings.extend(found)
    suppressions = find_yaml_suppressions(
        text, [(b.first_line, b.last_line) for b in loaded.blocks]
    )
    findings = _unique(suppressions.filter(findings, path))
    findings.sort(key=Finding.sort_key)
    lines = text.split("\n")
    snippets = [_snippet(finding, path, lines) for finding in findings]
    return YamlLinted(findings, snippets, failures, loaded.notes, runtimes)


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
        try:
            with open(finding.span.path, encoding="utf-8", errors="replace") as handle:
                lines = handle.read().split("\n")
        except OSError:
            return ""
    chosen = lines[finding.span.line - 1 : finding.span.end_line]
    return "\n".join(line.strip() for line in chosen)

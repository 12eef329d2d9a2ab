"""Every fix intent a rule can emit has a handler in the fixer of every source kind --fix
edits (a handler may say why that kind cannot apply it), and rules declare what they emit."""

from __future__ import annotations

from pathlib import Path

import pytest

from initlint.checks.registry import ALL_RULES
from initlint.fixes import compose, dockerfile, kubernetes
from initlint.model import SourceKind
from initlint.pipeline import LintOptions, run
from initlint.sources.yaml_inputs import load_yaml

ROOT = Path(__file__).resolve().parents[2]
TABLES = {
    SourceKind.DOCKERFILE: dockerfile.HANDLERS,
    SourceKind.COMPOSE: compose.HANDLERS,
    SourceKind.KUBERNETES: kubernetes.HANDLERS,
}


@pytest.mark.parametrize("kind", list(TABLES), ids=lambda kind: kind.value)
def test_every_declared_intent_has_a_handler(kind: SourceKind) -> None:
    missing = [
        (rule.id, intent.__name__)
        for rule in ALL_RULES
        for intent in rule.intents
        if intent not in TABLES[kind]
    ]
    assert not missing


def _kind(path: str) -> SourceKind:
    if not path.endswith((".yaml", ".yml")):
        return SourceKind.DOCKERFILE
    return load_yaml(Path(path).read_text(encoding="utf-8"), path).kind


def test_rules_emit_only_the_intents_they_declare() -> None:
    """Lint every fixture and example: each fix's intent is one its rule declared."""
    folders = [
        ROOT / "tests" / "fixtures" / name for name in ("dockerfiles", "compose", "kubernetes")
    ]
    report = run([str(f) for f in (*folders, ROOT / "examples")], LintOptions(use_docker=False))
    declared = {rule.id: rule.intents for rule in ALL_RULES}
    seen: set[tuple[str, SourceKind]] = set()
    for file in report.files:
        for finding in file.findings:
            intent = finding.fix.intent if finding.fix else None
            if intent is None:
                continue
            assert type(intent) in declared[finding.rule_id], (finding.rule_id, intent)
            kind = _kind(finding.span.path) if finding.span.path == file.path else _kind(file.path)
            assert type(intent) in TABLES[kind]
            seen.add((type(intent).__name__, kind))
    # the fixtures exercise fixes in all three kinds
    assert {kind for _, kind in seen} == set(TABLES)

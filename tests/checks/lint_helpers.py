"""Run one rule over a Dockerfile given as text, the way the linter does."""

from __future__ import annotations

from textwrap import dedent

from initlint.checks.registry import rule_by_id
from initlint.model import Finding
from initlint.sources.dockerfile import load_dockerfile_text


def dockerfile(text: str) -> str:
    return dedent(text).lstrip("\n")


def findings(rule_id: str, text: str, target: str | None = None) -> list[Finding]:
    spec = load_dockerfile_text(dockerfile(text), "Dockerfile", target)
    found = rule_by_id(rule_id).check(spec)
    assert all(f.rule_id == rule_id for f in found)
    return found


def one(rule_id: str, text: str, target: str | None = None) -> Finding:
    found = findings(rule_id, text, target)
    assert len(found) == 1, [f.message for f in found]
    return found[0]


def none(rule_id: str, text: str, target: str | None = None) -> None:
    found = findings(rule_id, text, target)
    assert found == [], [f.message for f in found]

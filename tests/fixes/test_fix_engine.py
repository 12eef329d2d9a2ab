"""The fix loop itself: every fixable finding is fixed, however many; and two fixes that undo
each other cannot make it loop."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from initlint.fixes.engine import fix_text
from initlint.fixes.plan import FixPlan, NoFix
from initlint.model import (
    Applicability,
    Edit,
    Finding,
    Fix,
    InjectInit,
    Severity,
    Span,
)
from initlint.pipeline import LintOptions, run


def test_more_than_ten_fixes_in_one_file_are_all_applied(tmp_path: Path) -> None:
    services = "".join(
        f"  svc{i}:\n    image: debian:12\n"
        f'    command: ["sh", "-c", "cd /srv && python3 a{i}.py"]\n'
        for i in range(14)
    )
    compose = tmp_path / "compose.yaml"
    compose.write_text("services:\n" + services)
    report = run([str(compose)], LintOptions(fix_mode="fix"))
    assert not report.errors
    (outcome,) = report.fix_outcomes
    assert len(outcome.applied) == 14
    assert report.findings == []
    assert compose.read_text().count("&& exec python3") == 14


def _finding(rule_id: str) -> Finding:
    fix = Fix(Applicability.SAFE, "swap", InjectInit(rule_id))
    return Finding(rule_id, Severity.WARNING, rule_id, Span("f", 1, 1, 1, 2), fix)


def test_fixes_that_undo_each_other_end(tmp_path: Path) -> None:
    # "a" has finding X, fixed by writing "b"; "b" has finding Y, fixed by writing "a"
    def lint(text: str, _overrides: Mapping[str, str] = {}, /) -> list[Finding]:
        return [_finding("X" if text == "a" else "Y")]

    def plan(text: str, finding: Finding) -> FixPlan | NoFix:
        return FixPlan((Edit(Span("f", 1, 1, 1, 2), "b" if text == "a" else "a"),))

    outcome = fix_text("f", "a", lint, plan, unsafe=False)
    assert outcome.fixed == "b"
    assert [line.split()[0] for line in outcome.applied] == ["X"]
    assert [line.split()[0] for line in outcome.rolled_back] == ["Y"]

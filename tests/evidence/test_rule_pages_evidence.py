"""The pages of the evidence rules: every example, with the files the page gives for it, gets
its verdict (bad/before trigger the page's rule, good/after do not), and the fix of every
``before`` example produces its ``after`` example."""

from __future__ import annotations

from pathlib import Path

import pytest

from initlint.fixes.dockerfile import dockerfile_fixer
from initlint.fixes.plan import FixPlan
from initlint.fixes.vendoring import VENDORED_NAME
from tests.evidence.rule_pages import PageExample, lint_example, page_examples, write_example

RULES = Path(__file__).resolve().parents[2] / "rules"
PAGES = [RULES / f"{rule_id}.md" for rule_id in ("IL201", "IL202", "IL203", "IL301", "IL302")]
EXAMPLES = [example for page in PAGES for example in page_examples(page)]
TRIGGERS = {"bad": True, "before": True, "good": False, "after": False}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.id)
def test_example_gets_its_verdict(example: PageExample, tmp_path: Path) -> None:
    rule_id = example.page.removesuffix(".md")
    found = [f for f in lint_example(example, tmp_path) if f.rule_id == rule_id]
    if TRIGGERS[example.verdict]:
        assert found, f"{example.id}: expected {rule_id}"
    else:
        assert not found, f"{example.id}: {[f.message for f in found]}"


def test_every_page_has_examples_with_files() -> None:
    for page in PAGES:
        examples = page_examples(page)
        assert [e.verdict for e in examples].count("bad") >= 2, page.name
        assert [e.verdict for e in examples].count("good") >= 2, page.name
    assert sum(bool(e.files) for e in EXAMPLES) >= 15


PAIRS = [
    (before, after)
    for before, after in zip(EXAMPLES, EXAMPLES[1:])
    if before.verdict == "before" and after.verdict == "after"
]


@pytest.mark.parametrize("pair", PAIRS, ids=lambda pair: pair[0].id)
def test_fix_turns_before_into_after(pair: tuple[PageExample, PageExample], tmp_path: Path) -> None:
    before, after = pair
    rule_id = before.page.removesuffix(".md")
    dockerfile = write_example(before, tmp_path)
    (finding,) = [f for f in lint_example(before, tmp_path) if f.rule_id == rule_id]
    fixer = dockerfile_fixer(dockerfile.read_text(), str(dockerfile), strategy="auto")
    plan = fixer.plan(finding)
    assert isinstance(plan, FixPlan), plan
    assert fixer.source.apply(plan.edits) == after.dockerfile
    written = {
        Path(w.path).relative_to(tmp_path).as_posix(): w.content
        for w in plan.writes
        if Path(w.path).name != VENDORED_NAME
    }
    for name, text in after.files:
        assert written.get(name, (tmp_path / name).read_text()) == text, name

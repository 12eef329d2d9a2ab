"""Every rule has a page in rules/, every page belongs to a rule, and every example on a page
gets the verdict its fence says: ``bad`` and ``before`` trigger the rule, ``good`` and
``after`` do not."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from initlint.checks.base import Rule
from initlint.checks.registry import ALL_RULES, rule_by_id
from initlint.sources.dockerfile import load_dockerfile_text

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
TITLE = re.compile(r"^# (IL\d{3}): ([a-z0-9-]+)$")
FENCE = re.compile(r"^```(\S+)(?: +(\S+))?\s*$")
VERDICTS = {"bad": True, "before": True, "good": False, "after": False}


@dataclass(frozen=True)
class Example:
    page: str
    line: int  # where the fence opens
    language: str
    verdict: str
    text: str

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}:{self.verdict}"


@dataclass(frozen=True)
class Page:
    path: Path
    rule_id: str
    name: str
    severity: str
    fix: str
    examples: tuple[Example, ...]


def parse_page(path: Path) -> Page:
    lines = path.read_text(encoding="utf-8").splitlines()
    title = TITLE.match(lines[0]) if lines else None
    assert title, f"{path.name}: the first line must be '# ILxxx: rule-name'"
    severity = fix = ""
    examples: list[Example] = []
    i = 1
    while i < len(lines):
        line = lines[i]
        if line.startswith("**Severity:**"):
            severity = line.removeprefix("**Severity:**").strip().split()[0]
        elif line.startswith("**Fix:**"):
            fix = line.removeprefix("**Fix:**").strip().split()[0]
        fence = FENCE.match(line)
        if fence:
            start = i
            body: list[str] = []
            i += 1
            while i < len(lines) and lines[i].strip() != "```":
                body.append(lines[i])
                i += 1
            assert i < len(lines), f"{path.name}:{start + 1}: unclosed code block"
            if fence.group(1) == "dockerfile":
                verdict = fence.group(2) or ""
                assert verdict in VERDICTS, (
                    f"{path.name}:{start + 1}: a dockerfile example needs a verdict "
                    f"({', '.join(VERDICTS)}), got {verdict!r}"
                )
                text = "\n".join(body) + "\n"
                examples.append(Example(path.name, start + 1, "dockerfile", verdict, text))
        i += 1
    return Page(path, title.group(1), title.group(2), severity, fix, tuple(examples))


PAGES = [parse_page(path) for path in sorted(RULES_DIR.glob("IL*.md"))]
EXAMPLES = [example for page in PAGES for example in page.examples]


def test_every_rule_has_a_page_and_every_page_a_rule() -> None:
    assert sorted(page.rule_id for page in PAGES) == sorted(rule.id for rule in ALL_RULES)
    for page in PAGES:
        assert page.path.name == f"{page.rule_id}.md"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.rule_id)
def test_page_header_matches_the_rule(page: Page) -> None:
    rule: Rule = rule_by_id(page.rule_id)
    assert page.name == rule.name
    assert page.severity == rule.severity.label
    assert page.fix == rule.fix.value


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.rule_id)
def test_page_has_enough_examples(page: Page) -> None:
    verdicts = [example.verdict for example in page.examples]
    assert verdicts.count("bad") >= 2
    assert verdicts.count("good") >= 2
    text = page.path.read_text(encoding="utf-8")
    for section in ("## Why this matters", "## Examples", "## Fix", "## See also"):
        assert section in text, f"{page.path.name} has no '{section}' section"
    if page.fix in ("safe", "unsafe"):
        assert verdicts.count("before") == verdicts.count("after") >= 1


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.id)
def test_example_gets_its_verdict(example: Example) -> None:
    rule_id = example.page.removesuffix(".md")
    spec = load_dockerfile_text(example.text, f"rules/{example.page}")
    found = rule_by_id(rule_id).check(spec)
    if VERDICTS[example.verdict]:
        assert found, f"{example.id}: expected {rule_id} to trigger"
    else:
        assert not found, f"{example.id}: {[f.message for f in found]}"

"""Every rule has a page in rules/, every page belongs to a rule, every example on a page
gets the verdict its fence says (``bad`` and ``before`` trigger the rule, ``good`` and
``after`` do not), and the real fixer turns each ``before`` into its ``after``, byte for byte.

An example may need files from the build context (an app, an entrypoint script): the page gives
them as fenced blocks whose info string names the file (```` ```python file=app.py ````), before
the Dockerfile example they belong to. Examples are linted in a folder holding those files,
through the pipeline, with app evidence, as ``initlint`` lints a real build context.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from _pytest.mark import ParameterSet

from initlint.checks.base import Rule
from initlint.checks.registry import ALL_RULES, rule_by_id
from initlint.fixes.dockerfile import fix_dockerfile_text
from initlint.fixes.engine import LintText
from initlint.fixes.plan import FixOutcome
from initlint.fixes.vendoring import VENDORED_NAME, vendored_init
from initlint.model import Finding
from initlint.pipeline import lint_text
from tests.support.build_context import write_files

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
TITLE = re.compile(r"^# (IL\d{3}): ([a-z0-9-]+)$")
FENCE = re.compile(r"^```(\S+)((?: +\S+)*)\s*$")
VERDICTS = {"bad": True, "before": True, "good": False, "after": False}


@dataclass(frozen=True)
class Example:
    page: str
    line: int  # where the fence opens
    language: str
    verdict: str
    text: str
    files: tuple[tuple[str, str], ...] = ()  # build-context files: (relative path, text)

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}:{self.verdict}"

    @property
    def rule_id(self) -> str:
        return self.page.removesuffix(".md")


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
    files: list[tuple[str, str]] = []  # file= blocks waiting for their Dockerfile example
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
            text = "\n".join(body) + "\n"
            attributes = fence.group(2).split()
            names = [a.removeprefix("file=") for a in attributes if a.startswith("file=")]
            if names:
                files.append((names[0], text))
            elif fence.group(1) == "dockerfile":
                verdict = attributes[0] if attributes else ""
                assert verdict in VERDICTS, (
                    f"{path.name}:{start + 1}: a dockerfile example needs a verdict "
                    f"({', '.join(VERDICTS)}), got {verdict!r}"
                )
                examples.append(
                    Example(path.name, start + 1, "dockerfile", verdict, text, tuple(files))
                )
                files = []
        i += 1
    return Page(path, title.group(1), title.group(2), severity, fix, tuple(examples))


PAGES = [parse_page(path) for path in sorted(RULES_DIR.glob("IL*.md"))]
EXAMPLES = [example for page in PAGES for example in page.examples]


def write_context(example: Example, folder: Path) -> Path:
    """The example's build context: its files and its Dockerfile. Returns the Dockerfile."""
    write_files(folder, example.files)
    dockerfile = folder / "Dockerfile"
    dockerfile.write_text(example.text)
    return dockerfile


def linter(dockerfile: Path, rule: Rule) -> LintText:
    """Lint a version of this Dockerfile's text with one rule, in its build context."""

    def lint(text: str, overrides: Mapping[str, str] = {}, /) -> list[Finding]:
        findings, _, failures = lint_text(text, str(dockerfile), (rule,), overrides=overrides)
        assert not failures, failures
        return findings

    return lint


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
def test_example_gets_its_verdict(example: Example, tmp_path: Path) -> None:
    dockerfile = write_context(example, tmp_path)
    found = linter(dockerfile, rule_by_id(example.rule_id))(example.text)
    if VERDICTS[example.verdict]:
        assert found, f"{example.id}: expected {example.rule_id} to trigger"
    else:
        assert not found, f"{example.id}: {[f.message for f in found]}"


def fix_pairs(page: Page) -> list[tuple[Example, Example]]:
    """Each ``before`` example with the ``after`` example that follows it."""
    examples = page.examples
    pairs = [
        (before, after)
        for before, after in zip(examples, examples[1:])
        if before.verdict == "before" and after.verdict == "after"
    ]
    assert len(pairs) == [e.verdict for e in examples].count("before"), (
        f"{page.path.name}: every 'before' example needs an 'after' example right after it"
    )
    return pairs


FIXABLE = [page for page in PAGES if page.fix in ("safe", "unsafe")]
PAIRS = [(page, *pair) for page in FIXABLE for pair in fix_pairs(page)]

# Pages whose fix the fixer does not make yet. Strict: the day it does, these fail as XPASS
# and the entry goes.
FIXER_GAPS: dict[str, str] = {}


def pair_params(pairs: list[tuple[Page, Example, Example]]) -> list[ParameterSet]:
    return [
        pytest.param(
            *pair,
            id=pair[1].id,
            marks=[pytest.mark.xfail(strict=True, reason=FIXER_GAPS[pair[0].rule_id])]
            if pair[0].rule_id in FIXER_GAPS
            else [],
        )
        for pair in pairs
    ]


def run_fixer(page: Page, before: Example, folder: Path, unsafe: bool) -> FixOutcome:
    """What `initlint --fix --select RULE` (with `--unsafe-fixes` when asked) does to before."""
    dockerfile = write_context(before, folder)
    lint = linter(dockerfile, rule_by_id(page.rule_id))
    return fix_dockerfile_text(before.text, str(dockerfile), lint, unsafe=unsafe)


@pytest.mark.parametrize(("page", "before", "after"), pair_params(PAIRS))
def test_fixer_turns_before_into_after(
    page: Page, before: Example, after: Example, tmp_path: Path
) -> None:
    """The page's fix, applied as the page says (--unsafe-fixes only for an unsafe fix)."""
    unsafe = page.fix == "unsafe"
    outcome = run_fixer(page, before, tmp_path, unsafe)
    assert not outcome.rolled_back, outcome.rolled_back
    assert outcome.fixed == after.text, f"{before.id}: the fixer writes\n{outcome.fixed}"

    written = {Path(w.path).relative_to(tmp_path).as_posix(): w.content for w in outcome.writes}
    if f"COPY {VENDORED_NAME} " in after.text and VENDORED_NAME not in before.text:
        assert written.pop(VENDORED_NAME) == vendored_init()
    for name, text in after.files:
        assert written.pop(name, (tmp_path / name).read_text()) == text, f"{before.id}: {name}"
    assert not written, f"{before.id}: the fix also writes {sorted(written)}"

    after_dockerfile = write_context(after, tmp_path / "after")
    assert not linter(after_dockerfile, rule_by_id(page.rule_id))(after.text)


@pytest.mark.parametrize(
    ("page", "before", "after"),
    [pytest.param(*pair, id=pair[1].id) for pair in PAIRS if pair[0].fix == "unsafe"],
)
def test_unsafe_fix_needs_unsafe_fixes(
    page: Page, before: Example, after: Example, tmp_path: Path
) -> None:
    """A page that calls its fix unsafe is right: plain --fix leaves the example alone."""
    outcome = run_fixer(page, before, tmp_path, unsafe=False)
    assert outcome.fixed == before.text
    assert not outcome.writes

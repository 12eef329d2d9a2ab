"""The compose and Kubernetes examples on the rule pages get the verdict their fence says.

A page shows them as ```` ```yaml bad ```` / ```` ```yaml good ```` (and ``before`` /
``after`` pairs, which the YAML fixer must turn one into the other). Files the examples need
(a Dockerfile and the app for a compose ``build:``) come first as ```` ```LANG yaml-file=NAME
````, and serve every YAML example up to the next such block. tests/test_rule_pages.py
leaves all of these to this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from initlint.checks.registry import rule_by_id
from initlint.fixes.yaml_fix import fix_yaml_text
from initlint.model import Finding
from initlint.pipeline_yaml import lint_yaml_text

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
FENCE = re.compile(r"^```(\S+)(?: +(.+?))?\s*$")
VERDICTS = {"bad": True, "before": True, "good": False, "after": False}


@dataclass(frozen=True)
class YamlExample:
    page: str
    line: int
    verdict: str
    text: str
    files: tuple[tuple[str, str], ...]

    @property
    def rule_id(self) -> str:
        return self.page.removesuffix(".md")

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}:yaml-{self.verdict}"

    @property
    def file_name(self) -> str:
        return "manifest.yaml" if "apiVersion:" in self.text else "compose.yaml"


def parse_yaml_examples(path: Path) -> list[YamlExample]:
    lines = path.read_text(encoding="utf-8").splitlines()
    examples: list[YamlExample] = []
    files: list[tuple[str, str]] = []  # yaml-file= blocks: the context of the examples after
    after_example = False
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if fence:
            start, body = i, []
            i += 1
            while i < len(lines) and lines[i].strip() != "```":
                body.append(lines[i])
                i += 1
            text = "\n".join(body) + "\n"
            attributes = (fence.group(2) or "").split()
            names = [a.removeprefix("yaml-file=") for a in attributes if a.startswith("yaml-file=")]
            if names:
                if after_example:  # a new group of files for the examples that follow
                    files, after_example = [], False
                files.append((names[0], text))
            elif fence.group(1) == "yaml":
                verdict = attributes[0] if attributes else ""
                assert verdict in VERDICTS, f"{path.name}:{start + 1}: yaml example needs a verdict"
                examples.append(YamlExample(path.name, start + 1, verdict, text, tuple(files)))
                after_example = True
        i += 1
    return examples


EXAMPLES = [e for path in sorted(RULES_DIR.glob("IL*.md")) for e in parse_yaml_examples(path)]


def write(example: YamlExample, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in example.files:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    path = folder / example.file_name
    path.write_text(example.text)
    return path


def lint(path: Path, text: str, rule_id: str) -> list[Finding]:
    def failure(where: str, error: BaseException, what: str) -> Exception:
        raise AssertionError(f"{where}: {what}: {error}")

    findings, _, _, _ = lint_yaml_text(text, str(path), (rule_by_id(rule_id),), failure)  # type: ignore[arg-type]
    return findings


def test_pages_have_yaml_examples() -> None:
    pages = {e.page for e in EXAMPLES}
    for rule_id in ("IL103", "IL104", "IL105", "IL108", "IL201", "IL202", "IL203"):
        assert f"{rule_id}.md" in pages
        verdicts = [e.verdict for e in EXAMPLES if e.page == f"{rule_id}.md"]
        assert "bad" in verdicts and "good" in verdicts, rule_id


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.id)
def test_yaml_example_gets_its_verdict(example: YamlExample, tmp_path: Path) -> None:
    path = write(example, tmp_path)
    found = lint(path, example.text, example.rule_id)
    if VERDICTS[example.verdict]:
        assert found, f"{example.id}: expected {example.rule_id} to trigger"
    else:
        assert not found, f"{example.id}: {[f.message for f in found]}"


PAIRS = [
    (before, after)
    for before, after in zip(EXAMPLES, EXAMPLES[1:])
    if before.verdict == "before" and after.verdict == "after" and before.page == after.page
]


def test_every_yaml_before_has_an_after() -> None:
    assert len(PAIRS) == [e.verdict for e in EXAMPLES].count("before") >= 3


@pytest.mark.parametrize(("before", "after"), PAIRS, ids=lambda e: e.id)
def test_yaml_fixer_turns_before_into_after(
    before: YamlExample, after: YamlExample, tmp_path: Path
) -> None:
    path = write(before, tmp_path)
    rule = rule_by_id(before.rule_id)
    unsafe = rule.fix.value == "unsafe" or "shareProcessNamespace: true" in after.text
    outcome = fix_yaml_text(
        before.text, str(path), lambda text, *_: lint(path, text, before.rule_id), unsafe
    )
    assert outcome.fixed == after.text, f"{before.id}: the fixer writes\n{outcome.fixed}"

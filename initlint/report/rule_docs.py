"""The rule pages (``rules/IL101.md`` ...): located for ``--explain`` and SARIF help texts.

Installed packages carry them as package data under ``initlint/rule_pages/``; a checkout
reads them from ``rules/`` beside the package.
"""

from __future__ import annotations

import re
from pathlib import Path

from initlint.checks.base import Rule

_METADATA_LINE = re.compile(r"^\*\*[A-Za-z ]+:\*\*")
_PACKAGE_DIR = Path(__file__).resolve().parent.parent
PAGE_DIRECTORIES = (_PACKAGE_DIR / "rule_pages", _PACKAGE_DIR.parent / "rules")


def rule_page(rule_id: str) -> str | None:
    """The Markdown page of a rule, or None when this installation has none."""
    for directory in PAGE_DIRECTORIES:
        candidate = directory / f"{rule_id}.md"
        try:
            return candidate.read_text(encoding="utf-8")
        except OSError:
            continue
    return None


def _blocks(page: str) -> list[list[str]]:
    """The page's blocks (runs of non-blank lines), code fences dropped."""
    blocks: list[list[str]] = [[]]
    in_code = False
    for line in page.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            in_code = not in_code
            blocks.append([])
        elif in_code:
            continue
        elif not stripped:
            blocks.append([])
        else:
            blocks[-1].append(stripped)
    return [block for block in blocks if block]


def _is_prose(block: list[str]) -> bool:
    first = block[0]
    if first.startswith(("#", "|", ">", "- ", "* ", "<")):
        return False
    return not _METADATA_LINE.match(first)  # the **Severity:** / **Fix:** block


def first_paragraph(page: str) -> str | None:
    """The first prose paragraph of a page, as plain text."""
    block = next((b for b in _blocks(page) if _is_prose(b)), None)
    if block is None:
        return None
    text = " ".join(block)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)  # links -> their text
    return text.replace("**", "").replace("`", "")


def full_description(rule: Rule) -> str:
    page = rule_page(rule.id)
    paragraph = first_paragraph(page) if page else None
    return paragraph or rule.summary


def explain(rule: Rule) -> str:
    """What ``--explain`` prints: the page, or a short page made from the rule's metadata."""
    page = rule_page(rule.id)
    if page is not None:
        return page if page.endswith("\n") else page + "\n"
    return (
        f"# {rule.id} {rule.name}\n\n"
        f"Severity: {rule.severity.label}. Fix: {rule.fix.value}.\n\n"
        f"{rule.summary}\n\nMore: {rule.help_uri}\n"
    )

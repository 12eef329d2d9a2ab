"""The rule pages (``rules/IL101.md`` ...): located for ``--explain`` and SARIF help texts.

Installed packages carry them as package data under ``initlint/rule_pages/``; a checkout
reads them from ``rules/`` beside the package.
"""

from __future__ import annotations

import re
from pathlib import Path

from initlint.checks.base import Rule

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


def first_paragraph(page: str) -> str | None:
    """The first prose paragraph under the title, as plain text."""
    paragraph: list[str] = []
    in_code = False
    for line in page.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            in_code = not in_code
            if paragraph:
                break
            continue
        if in_code or stripped.startswith("#") or stripped.startswith("|"):
            if paragraph:
                break
            continue
        if not stripped:
            if paragraph:
                break
            continue
        paragraph.append(stripped)
    if not paragraph:
        return None
    text = " ".join(paragraph)
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

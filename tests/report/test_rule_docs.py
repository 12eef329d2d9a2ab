"""Rule pages as SARIF and --explain use them."""

from __future__ import annotations

from initlint.report.rule_docs import first_paragraph

PAGE = """# IL999: example-rule

**Severity:** warning
**Fix:** unsafe (remove it; read from
`package.json`)

The `CMD` is written as a [plain string](https://docs.docker.com/x), so **Docker** runs it
through a shell.

## Why this matters

```dockerfile
CMD a
```
"""


def test_first_paragraph_skips_title_and_metadata() -> None:
    assert first_paragraph(PAGE) == (
        "The CMD is written as a plain string, so Docker runs it through a shell."
    )


def test_no_prose() -> None:
    assert first_paragraph("# Title\n\n```\ncode\n```\n| a | b |\n") is None

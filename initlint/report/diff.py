"""``--diff``: what ``--fix`` would change, as unified diffs (the edited files, new files too)."""

from __future__ import annotations

import difflib

from initlint.fixes.plan import FixOutcome
from initlint.fixes.text_files import read_for_fix


def _unified(path: str, before: str, after: str, existed: bool = True) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=path if existed else "/dev/null",
        tofile=path,
    )
    out: list[str] = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def render_diffs(outcomes: list[FixOutcome]) -> str:
    parts: list[str] = []
    for outcome in outcomes:
        if outcome.fixed != outcome.original:
            parts.append(_unified(outcome.path, outcome.original, outcome.fixed))
        for write in outcome.writes:
            existing = read_for_fix(write.path, errors="replace")
            existed = isinstance(existing, str)
            before = existing if isinstance(existing, str) else ""
            parts.append(_unified(write.path, before, write.content, existed))
    return "".join(parts)

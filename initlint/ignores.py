"""Inline suppressions written in the Dockerfile (and in compose files and Kubernetes manifests).

- ``# initlint: ignore=IL101,IL202`` on the comment line(s) right before an instruction
  (no blank line between) silences those rules for findings that start on that instruction;
- ``# initlint: global ignore=IL105`` anywhere silences them for the whole file;
- either may end with ``-- reason`` (kept for reviewers, not checked).

Ids may be prefixes (``IL1``) or ``ALL`` as in ``--ignore``. Unknown ids are not an error: a
file may name a rule of a newer initlint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from initlint.config import matches_any
from initlint.model import Finding
from initlint.sources.dockerfile_syntax import DockerfileSyntax

# compiled on first use (re's cache): only a file with a comment naming initlint needs it
_IGNORE_COMMENT = (
    r"^#\s*initlint\s*:\s*(?P<scope>global\s+)?ignore\s*=\s*(?P<ids>[A-Za-z0-9_,\s]*?)"
    r"\s*(?:--\s*(?P<reason>.*?))?\s*$"
)


class Suppression(NamedTuple):
    selectors: tuple[str, ...]
    line: int  # where the comment is
    reason: str | None
    first_line: int = 0  # the instruction it covers (0 for a global one)
    last_line: int = 0


class Suppressions(NamedTuple):
    file_wide: tuple[Suppression, ...]
    per_instruction: tuple[Suppression, ...]

    def silences(self, finding: Finding, path: str) -> bool:
        if any(matches_any(finding.rule_id, s.selectors) for s in self.file_wide):
            return True
        if finding.span.path != path:
            return False
        return any(
            s.first_line <= finding.span.line <= s.last_line
            and matches_any(finding.rule_id, s.selectors)
            for s in self.per_instruction
        )

    def filter(self, findings: Iterable[Finding], path: str) -> list[Finding]:
        return [finding for finding in findings if not self.silences(finding, path)]


def _parse_comment(text: str) -> tuple[bool, tuple[str, ...], str | None] | None:
    if "initlint" not in text:
        return None
    match = re.match(_IGNORE_COMMENT, text.strip())
    if match is None:
        return None
    selectors = tuple(part.upper() for part in re.split(r"[,\s]+", match.group("ids")) if part)
    return bool(match.group("scope")), selectors, match.group("reason") or None


def find_suppressions(syntax: DockerfileSyntax) -> Suppressions:
    comment_lines: dict[int, str] = {c.span.line: c.value for c in syntax.comments}
    covered: set[int] = set()
    for instruction in syntax.instructions:
        covered.update(range(instruction.span.line, instruction.span.end_line + 1))
    file_wide: list[Suppression] = []
    for line, text in comment_lines.items():
        parsed = _parse_comment(text)
        if parsed is not None and parsed[0]:
            file_wide.append(Suppression(parsed[1], line, parsed[2]))
    per_instruction: list[Suppression] = []
    for instruction in syntax.instructions:
        line = instruction.span.line - 1
        while line in comment_lines and line not in covered:
            parsed = _parse_comment(comment_lines[line])
            if parsed is not None and not parsed[0]:
                per_instruction.append(
                    Suppression(
                        parsed[1], line, parsed[2], instruction.span.line, instruction.span.end_line
                    )
                )
            line -= 1
    return Suppressions(tuple(file_wide), tuple(per_instruction))


def find_yaml_suppressions(text: str, blocks: Sequence[tuple[int, int]]) -> Suppressions:
    """Inline suppressions in a compose file or Kubernetes manifest.

    ``blocks`` are the (first, last) lines of each service or container. A
    ``# initlint: ignore=...`` comment on the comment lines right before a block, or at the end
    of its first line, covers the block; ``# initlint: global ignore=...`` anywhere covers the
    file.
    """
    lines = text.split("\n")
    comment_lines: dict[int, str] = {}
    trailing: dict[int, str] = {}
    for number, text_line in enumerate(lines, 1):
        stripped = text_line.strip()
        if stripped.startswith("#"):
            comment_lines[number] = stripped
        elif " #" in text_line:
            trailing[number] = text_line[text_line.find(" #") :].strip()
    file_wide = [
        Suppression(parsed[1], number, parsed[2])
        for number, comment in comment_lines.items()
        if (parsed := _parse_comment(comment)) is not None and parsed[0]
    ]
    per_block: list[Suppression] = []
    for first, last in blocks:
        candidates: list[tuple[int, str]] = []
        if first in trailing:
            candidates.append((first, trailing[first]))
        above = first - 1
        while above in comment_lines:
            candidates.append((above, comment_lines[above]))
            above -= 1
        for where, comment in candidates:
            parsed = _parse_comment(comment)
            if parsed is not None and not parsed[0]:
                per_block.append(Suppression(parsed[1], where, parsed[2], first, last))
    return Suppressions(tuple(file_wide), tuple(per_block))


# ``# initlint ignore=...`` (hadolint's spelling), ``#initlint:ignore IL1``, ``# initlint: noqa``:
# a comment meant for initlint that the parser above does not take.
_MEANT_FOR_US = r"#[ \t]*initlint(?:[ \t]*:|[ \t]+(?:global[ \t]+)?ignore\b)[^\n]*"


def comment_warnings(text: str, known_ids: Sequence[str]) -> list[tuple[int, str]]:
    """(line, message) for inline-ignore comments that do nothing: misspelled, or naming a
    rule code initlint does not know (a typo, or a rule of a newer initlint)."""
    if "initlint" not in text:
        return []
    warnings: list[tuple[int, str]] = []
    for match in re.finditer(_MEANT_FOR_US, text):
        comment = match.group(0).strip()
        line = text.count("\n", 0, match.start()) + 1
        parsed = _parse_comment(comment)
        if parsed is None:
            warnings.append((line, _misspelled(comment)))
            continue
        for selector in parsed[1]:
            prefix = "" if selector == "ALL" else selector
            if not any(rule_id.startswith(prefix) for rule_id in known_ids):
                warnings.append(
                    (
                        line,
                        f"unknown rule code {selector!r} in {comment!r} (initlint --list-rules)",
                    )
                )
    return warnings


def _misspelled(comment: str) -> str:
    ids = re.search(r"ignore\s*[=:]?\s*([A-Za-z0-9_,\s]*)", comment)
    wanted = ",".join(part for part in re.split(r"[,\s]+", ids.group(1)) if part) if ids else ""
    scope = "global " if re.search(r"\bglobal\b", comment) else ""
    right = f"# initlint: {scope}ignore={wanted or 'IL101'}"
    if not re.match(r"#\s*initlint\s*:", comment):
        return f"{comment!r} is not applied: write {right!r} (with a colon, unlike hadolint)"
    return f"{comment!r} is not an initlint comment and is not applied: write {right!r}"

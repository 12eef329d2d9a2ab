"""Text edits on YAML at the exact positions the YAML loader reports, shared by the compose and
Kubernetes fixers. Nothing is re-serialised: an edit inserts or replaces a few characters, so
comments, key order, quoting, indentation and other documents stay byte for byte."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from initlint.fixes.plan import NoFix
from initlint.fixes.text import SourceText
from initlint.model import Edit, InsertExec, Span
from initlint.sources.command_words import CommandWordsError, split_command
from initlint.sources.yaml_positions import YEntry, YMapping, YScalar, YSequence, YValue, walk

Expand = Callable[[str], str]


def point(path: str, source: SourceText, offset: int) -> Span:
    """The empty span at a character offset of the text."""
    starts = source.line_starts
    line = max(i for i, start in enumerate(starts, 1) if start <= offset)
    column = offset - starts[line - 1] + 1
    return Span(path, line, column, line, column)


def file_offset(text: str, scalar: YScalar, index: int) -> int | None:
    """Where character ``index`` of the scalar's value is in the text (greedy alignment of
    the value against the raw scalar; the caller verifies the edit by re-reading)."""
    raw_start = scalar.start.offset
    raw = text[raw_start : scalar.end.offset]
    value = scalar.value
    if index > len(value):
        return None
    r = 0
    if scalar.style in ("'", '"'):
        r = 1
    elif scalar.style in ("|", ">"):
        newline = raw.find("\n")
        if newline < 0:
            return None
        r = newline + 1
    for v in range(index + 1):
        if v == len(value):
            return raw_start + r if v == index else None
        char = value[v]
        while r < len(raw) and raw[r] != char:
            r += 1
        if r >= len(raw):
            return None
        if v == index:
            return raw_start + r
        r += 1
    return None


def entry_at(root: YValue | None, key_span: Span) -> YEntry | None:
    """The mapping entry whose key starts where ``key_span`` does."""
    for node in walk(root):
        if isinstance(node, YMapping):
            for entry in node.entries:
                key = entry.key
                if (key.start.line, key.start.column) == (key_span.line, key_span.column):
                    return entry
    return None


def raw_index(raw: str, expanded_prefix: str, expand: Expand | None) -> int | None:
    """Where, in text as written, the part that expands to ``expanded_prefix`` ends."""
    if expand is None or "$" not in raw:
        return len(expanded_prefix) if raw.startswith(expanded_prefix) else None
    for index in range(len(raw) + 1):
        try:
            if expand(raw[:index]) == expanded_prefix:
                return index
        except ValueError:  # cut inside ${...}
            continue
    return None


def insert_exec_edit(
    text: str, path: str, entry: YEntry, intent: InsertExec, expand: Expand | None = None
) -> tuple[Edit, str] | NoFix:
    """``exec `` at the start of the script's last command; also the new script value.

    ``expand`` is the variable expansion the loader applied (compose interpolation): the
    insertion point is found in the text as written.
    """
    script = intent.word.value
    prefix = script[: intent.offset]
    new_script = prefix + "exec " + script[intent.offset :]
    node = entry.value
    if isinstance(node, YSequence):
        item = next((i for i in node.items if i.span == intent.word.span), None)
        if not isinstance(item, YScalar):
            return NoFix("the script is no longer where it was")
        index = raw_index(item.value, prefix, expand)
        if index is None:
            return NoFix("variables in the script make its text differ from its value")
        at = file_offset(text, item, index)
    elif isinstance(node, YScalar):
        try:
            words = split_command(node.value)
        except CommandWordsError:
            return NoFix("the command string does not split into words")
        found: int | None = None
        for word in words:
            if word.quoted_start is None:
                continue
            index = raw_index(word.value, prefix, expand)
            if index is not None and (expand or str)(word.value) == script:
                found = word.quoted_start + index
                break
        if found is None:
            return NoFix("the script is not one quoted word of the command string")
        at = file_offset(text, node, found)
    else:
        return NoFix("the command is not a string or a list")
    if at is None:
        return NoFix("cannot find the script's characters in the file")
    return Edit(point(path, SourceText(text), at), "exec "), new_script


def flow_list(words: Sequence[str]) -> str:
    """A YAML flow sequence of double-quoted strings (JSON, which YAML reads as written)."""
    return "[" + ", ".join(json.dumps(word, ensure_ascii=False) for word in words) + "]"


def set_key_edit(text: str, path: str, mapping: YMapping, key: str, value: str) -> Edit | NoFix:
    """Set ``key: value`` in a block mapping: replace the value written there, or add a line
    after the mapping's last line with the indentation of its keys."""
    source = SourceText(text)
    own = [e for e in mapping.entries if not e.merged]
    existing = next((e for e in own if e.key.value == key), None)
    if existing is not None:
        if not isinstance(existing.value, YScalar) or existing.value.tag is not None:
            return NoFix(f"{key} is not a plain value here")
        if existing.value.is_null and existing.value.start.offset == existing.value.end.offset:
            end = existing.key.end.offset + 1  # after ``key:``
            return Edit(point(path, source, end), f" {value}")
        return Edit(existing.value.span, value)
    if mapping.flow:
        return NoFix("the mapping is written in flow style ({...})")
    if not own:
        return NoFix("the mapping has no keys of its own to align with")
    indent = own[0].key.start.column - 1
    last_end = max(_content_end(text, e) for e in own)
    line_end = text.find("\n", last_end)
    if line_end < 0:
        line_end = len(text)
    elif line_end > 0 and text[line_end - 1] == "\r":
        line_end -= 1
    newline = source.newline
    return Edit(point(path, source, line_end), f"{newline}{' ' * indent}{key}: {value}")


def _content_end(text: str, entry: YEntry) -> int:
    """Offset just after the last non-blank character of an entry (comments after it and the
    blank lines a block collection's end mark includes are not part of it)."""
    while True:
        value = entry.value
        if isinstance(value, YScalar) and value.start.offset == value.end.offset:
            return entry.key.end.offset + 1  # ``key:`` with nothing after it
        if isinstance(value, YMapping) and value.entries and not value.flow:
            entry = max(value.entries, key=lambda e: e.key.start.offset)
            continue
        deepest: YValue = value
        while isinstance(deepest, YSequence) and deepest.items and not deepest.flow:
            last = deepest.items[-1]
            if isinstance(last, YMapping) and last.entries and not last.flow:
                break
            deepest = last
        if isinstance(deepest, YSequence) and deepest.items and not deepest.flow:
            last = deepest.items[-1]
            assert isinstance(last, YMapping)
            entry = max(last.entries, key=lambda e: e.key.start.offset)
            continue
        end = deepest.end.offset
        while end > deepest.start.offset and text[end - 1] in " \t\r\n":
            end -= 1
        return max(end, deepest.start.offset)

"""Entrypoint scripts read with a real shell parser (bashlex): what the shell will do at the end.

Why bashlex and not tree-sitter-bash: bashlex is a pure-Python port of bash's own grammar
that gives exact character offsets for every node (what the ``exec`` fix needs), installs
without compiled grammars or a tree-sitter ABI to keep in step, and fails loudly on what it
cannot parse, which is what precision wants (a tree-sitter tree with ERROR nodes would
invite guessing). Its gaps are ``case``, ``[[ ]]`` and arithmetic: those regions are masked
with same-length no-ops before parsing (offsets stay exact), and whatever a masked region
might hold (``exec``, ``trap``, ``wait``, ``&``) makes the related facts unknown or quiet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from initlint.model import Located, ScriptFacts, Span

SHELL_INTERPRETERS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox"})
# Commands that are not "the program": the script does not end by running the app.
BUILTINS = frozenset(
    {
        "exit", "return", "echo", "printf", "true", "false", ":", "set", "export", "unset",
        "cd", "shift", "source", ".", "wait", "trap", "read", "local", "eval", "exec",
    }
)  # fmt: skip
# Last commands that only keep the container alive while background jobs work (IL302).
KEEP_ALIVE = frozenset({"sleep", "tail"})
_TERM_SIGNALS = frozenset({"TERM", "SIGTERM", "15", "INT", "SIGINT", "2"})
_MASK_WORDS = re.compile(r"\b(exec|trap|wait)\b|&(?!&)")


@dataclass(frozen=True)
class Masked:
    text: str  # same length as the original
    regions: tuple[str, ...]  # the original text of each masked region


def mask_unsupported(text: str) -> Masked:
    """Replace ``case..esac``, ``[[ ]]``, ``$(( ))`` and ``(( ))`` by same-length no-ops."""
    chars = list(text)
    regions: list[str] = []

    def blank(start: int, end: int, filler: str) -> None:
        regions.append(text[start:end])
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
        chars[start : start + len(filler)] = filler

    patterns = (
        (r"\$\(\(", "))", "0"),  # arithmetic expansion: a number
        (r"(?:^|(?<=[\s;&|(]))\(\((?!\()", "))", ":"),  # arithmetic command: a no-op
        (r"(?:^|(?<=[\s;&|!]))\[\[(?=\s)", "]]", ":"),  # [[ test ]]: a no-op
    )
    for opening, closing, filler in patterns:
        for match in re.finditer(opening, text):
            if chars[match.start()] != text[match.start()]:
                continue  # inside a region already masked
            end = text.find(closing, match.end())
            if end != -1:
                blank(match.start(), end + len(closing), filler)
    case_start = re.compile(r"(?:^|(?<=[\s;&|]))case\s")
    while True:
        found = case_start.search("".join(chars))
        if found is None:
            break
        esac_end = _matching_esac("".join(chars), found.start())
        if esac_end is None:
            break
        blank(found.start(), esac_end, ":")
    return Masked("".join(chars), tuple(regions))


def _matching_esac(text: str, start: int) -> int | None:
    depth = 0
    for match in re.finditer(r"(?:^|(?<=[\s;&|()]))(case|esac)(?=[\s;&|)]|$)", text[start:]):
        depth += 1 if match.group(1) == "case" else -1
        if depth == 0:
            return start + match.end()
    return None


def shebang_interpreter(text: str) -> str | None:
    """``sh``/``bash``/``python3``/``node``... from ``#!/bin/sh`` or ``#!/usr/bin/env -S node``."""
    if not text.startswith("#!"):
        return None
    words = text[2:].split("\n", 1)[0].split()
    if not words:
        return None
    program = words[0].rsplit("/", 1)[-1]
    if program == "env":
        rest = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
        program = rest[0].rsplit("/", 1)[-1] if rest else ""
    return program or None


class ScriptParseError(ValueError):
    pass


def analyse_script(text: str, path: str, image_path: str, interpreter: str) -> ScriptFacts:
    """Facts about an entrypoint script; ScriptParseError when the parser cannot read it."""
    from initlint.evidence.bashlex_loader import load_bashlex

    bashlex = load_bashlex()  # imported here: only scripts pay for it

    masked = mask_unsupported(text.replace("\r", " "))
    try:
        nodes = [n for n in bashlex.parse(masked.text) if hasattr(n, "kind")]
    except Exception as error:  # bashlex raises ParsingError, NotImplementedError, others
        raise ScriptParseError(f"{path}: {type(error).__name__}: {error}") from None
    lines = _LineIndex(text)
    in_masked = " ".join(masked.regions)
    masked_words = {m.group(0) for m in _MASK_WORDS.finditer(in_masked)}
    walker = _Walker(text, path, lines)
    for node in nodes:
        walker.visit(node)
    last = _last_command(nodes[-1]) if nodes else None
    newline = "\r\n" if "\r\n" in text else "\n"
    if last is None:
        return ScriptFacts(
            path, image_path, interpreter, None, None, False, False, True, (), False,
            tuple(walker.background), walker.waits or "wait" in masked_words,
            walker.traps_term or "trap" in masked_words,
            nodes[-1].pos[1] if nodes else 0, newline,
        )  # fmt: skip
    words = [p for p in last.parts if p.kind == "word"]
    first = next((w for w in words), None)
    is_exec = first is not None and first.word == "exec"
    program_words = [w.word for w in words[1:]] if is_exec else [w.word for w in words]
    start = first.pos[0] if first is not None else last.pos[0]
    name = program_words[0].rsplit("/", 1)[-1] if program_words else ""
    builtin = not program_words or name in BUILTINS or name in KEEP_ALIVE
    last_span = lines.span_for(path, last.pos[0], last.pos[1])
    located = Located(text[last.pos[0] : last.pos[1]], last_span)
    return ScriptFacts(
        path=path,
        image_path=image_path,
        interpreter=interpreter,
        last_command=located,
        last_offset=start,
        last_is_exec=is_exec,
        last_is_simple=last.simple and first is not None,
        last_is_builtin=builtin,
        last_words=tuple(program_words),
        passes_args=any("$@" in w.word or "$*" in w.word for w in words),
        background_jobs=tuple(walker.background),
        waits=walker.waits or "wait" in masked_words,
        traps_term=walker.traps_term or "trap" in masked_words,
        end_offset=nodes[-1].pos[1],
        newline=newline,
    )


@dataclass(frozen=True)
class _Last:
    pos: tuple[int, int]
    parts: list[Any]
    simple: bool


def _last_command(node: Any) -> _Last | None:
    """The command the script runs last, when its top-level last node is (or ends in) one."""
    if node.kind == "command":
        return _Last(node.pos, node.parts, True)
    if node.kind == "list":
        parts = [p for p in node.parts if p.kind != "operator" or p.op != ";"]
        if not parts or parts[-1].kind == "operator":
            return None  # ends with `&`: backgrounded
        operators = {p.op for p in parts if p.kind == "operator"}
        tail = parts[-1]
        if tail.kind != "command" or not operators <= {"&&"}:
            return None
        return _Last(tail.pos, tail.parts, True)
    return None


class _LineIndex:
    def __init__(self, text: str) -> None:
        self.starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def position(self, offset: int) -> tuple[int, int]:
        import bisect

        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def span_for(self, path: str, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Span(path, line, column, end_line, end_column)


class _Walker:
    """Collects background jobs, ``wait`` and ``trap ... TERM`` anywhere in the script."""

    def __init__(self, text: str, path: str, lines: _LineIndex) -> None:
        self.text = text
        self.path = path
        self.lines = lines
        self.background: list[Located] = []
        self.waits = False
        self.traps_term = False

    def visit(self, node: Any) -> None:
        kind = getattr(node, "kind", None)
        if kind == "command":
            words = [p.word for p in node.parts if p.kind == "word"]
            if words and words[0] == "wait":
                self.waits = True
            if words and words[0] == "trap" and _TERM_SIGNALS & {w.upper() for w in words[2:]}:
                self.traps_term = True
        if kind == "list":
            parts = node.parts
            for i, part in enumerate(parts):
                if part.kind == "operator" and part.op == "&" and i > 0:
                    job = parts[i - 1]
                    text = self.text[job.pos[0] : part.pos[1]]
                    span = self.lines.span_for(self.path, job.pos[0], part.pos[1])
                    self.background.append(Located(text, span))
        for child in _children(node):
            self.visit(child)


def _children(node: Any) -> list[Any]:
    found: list[Any] = []
    for attribute in ("parts", "list"):
        value = getattr(node, attribute, None)
        if isinstance(value, list):
            found.extend(v for v in value if hasattr(v, "kind"))
    body = getattr(node, "body", None)
    if body is not None and hasattr(body, "kind"):
        found.append(body)
    command = getattr(node, "command", None)
    if command is not None and hasattr(command, "kind"):
        found.append(command)
    return found


def script_span(facts: ScriptFacts, text: str) -> Span:
    """The span of the script's last command (or its first line when there is none)."""
    if facts.last_command is not None:
        return facts.last_command.span
    return Span(facts.path, 1, 1, 1, len(text.split("\n", 1)[0]) + 1)

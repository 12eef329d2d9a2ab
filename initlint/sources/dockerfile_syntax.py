"""The Dockerfile's syntax: instructions with exact spans, as BuildKit's parser splits them.

Why our own lexer and not dockerfile-parse: dockerfile-parse gives no columns, and it gets
heredocs, blank lines inside continuations and comments inside continuations wrong (SPEC
section 5). The rules here follow BuildKit's parser; the tests hold us to BuildKit's own
parser (the ``dockerfile`` package) on a corpus and on generated files.

Every character of an instruction's logical line (its continuation lines joined, comment
lines dropped) remembers where it stands in the file, so any piece of it maps back to an
exact span.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from initlint.errors import InputError
from initlint.model import Located, Position, Span

_DIRECTIVE = re.compile(r"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")
_HEREDOC_WORD = re.compile(r"^(\d*)<<(-?)([^<]*)$")
HEREDOC_INSTRUCTIONS = frozenset({"RUN", "COPY", "ADD"})
JSON_INSTRUCTIONS = frozenset({"RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME"})
KNOWN_INSTRUCTIONS = frozenset(
    {
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
        "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
        "WORKDIR",
    }
)  # fmt: skip


@dataclass(frozen=True)
class LogicalLine:
    """An instruction's text with continuations joined, and where each character came from."""

    path: str
    text: str
    positions: tuple[Position, ...]  # len(text) + 1 entries: the last one is the end position

    def span(self, start: int, end: int) -> Span:
        first = self.positions[start]
        if end <= start:
            return Span(self.path, first.line, first.column, first.line, first.column)
        last = self.positions[end - 1]
        return Span(self.path, first.line, first.column, last.line, last.column + 1)


@dataclass(frozen=True)
class Heredoc:
    name: str
    chomp: bool  # <<- strips leading tabs
    expand: bool  # unquoted delimiter: variables are expanded
    body: str
    span: Span  # from the first body line to the end of the terminator line


@dataclass(frozen=True)
class Instruction:
    keyword: str  # upper case
    keyword_span: Span
    flags: tuple[Located, ...]  # --from=..., --chmod=... (values without the leading --)
    args: str  # the arguments as BuildKit sees them (trimmed)
    args_start: int  # offset of ``args`` in ``line.text``
    line: LogicalLine
    span: Span  # the whole instruction, continuation lines and heredocs included
    heredocs: tuple[Heredoc, ...] = ()
    json_words: tuple[Located, ...] | None = None  # exec (JSON) form elements
    json_problem: str | None = None  # looked like JSON but is not valid: shell form

    @property
    def is_exec_form(self) -> bool:
        return self.json_words is not None

    def args_span(self, start: int = 0, end: int | None = None) -> Span:
        """Span of ``args[start:end]``."""
        stop = len(self.args) if end is None else end
        return self.line.span(self.args_start + start, self.args_start + stop)


@dataclass(frozen=True)
class DockerfileSyntax:
    path: str
    escape: str
    directives: tuple[tuple[str, str], ...]
    instructions: tuple[Instruction, ...]
    comments: tuple[Located, ...]  # every comment line (for inline ignores)


@dataclass
class _RawLine:
    number: int  # 1-based
    text: str  # without the line ending


def _split_lines(text: str) -> list[_RawLine]:
    body = text[1:] if text.startswith("\ufeff") else text
    pieces = body.split("\n")
    if pieces and pieces[-1] == "":
        pieces.pop()
    return [_RawLine(i + 1, piece.rstrip("\r")) for i, piece in enumerate(pieces)]


def _is_comment(text: str) -> bool:
    return text.lstrip().startswith("#")


class _Lexer:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = _split_lines(text)
        self.index = 0
        self.escape = "\\"
        self.directives: list[tuple[str, str]] = []
        self.directives_done = False
        self.comments: list[Located] = []

    def fail(self, message: str, line: int) -> InputError:
        return InputError(self.path, message, line)

    def _continues(self, text: str) -> int | None:
        """Where the continuation character starts, if ``text`` ends with one."""
        stripped = text.rstrip(" \t")
        if stripped.endswith(self.escape):
            return len(stripped) - 1
        return None

    def _see_directive(self, text: str, number: int) -> None:
        if self.directives_done:
            return
        match = _DIRECTIVE.match(text)
        if match is None:
            self.directives_done = True
            return
        name, value = match.group(1).lower(), match.group(2)
        if any(seen == name for seen, _ in self.directives):
            if name == "syntax":
                self.directives_done = True
                return
            raise self.fail(f"only one {name} parser directive can be used", number)
        self.directives.append((name, value))
        if name == "escape":
            if value not in ("\\", "`"):
                raise self.fail(f"invalid escape token {value!r}: use \\ or `", number)
            self.escape = value

    def _append(
        self, raw: _RawLine, start: int, end: int, chars: list[str], where: list[Position]
    ) -> None:
        for col in range(start, end):
            chars.append(raw.text[col])
            where.append(Position(raw.number, col + 1))

    def lex(self) -> DockerfileSyntax:
        instructions: list[Instruction] = []
        while self.index < len(self.lines):
            raw = self.lines[self.index]
            self.index += 1
            stripped = raw.text.lstrip()
            self._see_directive(stripped, raw.number)
            if _is_comment(raw.text):
                offset = len(raw.text) - len(stripped)
                self.comments.append(
                    Located(
                        stripped,
                        Span(self.path, raw.number, offset + 1, raw.number, len(raw.text) + 1),
                    )
                )
                continue
            if not stripped.strip():
                continue
            instructions.append(self._instruction(raw))
        return DockerfileSyntax(
            self.path, self.escape, tuple(self.directives), tuple(instructions),
            tuple(self.comments),
        )  # fmt: skip

    def _instruction(self, first: _RawLine) -> Instruction:
        chars: list[str] = []
        where: list[Position] = []
        start_col = len(first.text) - len(first.text.lstrip())
        cut = self._continues(first.text)
        self._append(first, start_col, len(first.text) if cut is None else cut, chars, where)
        last = first
        while cut is not None and self.index < len(self.lines):
            raw = self.lines[self.index]
            self.index += 1
            last = raw
            if _is_comment(raw.text):
                self.comments.append(
                    Located(raw.text.lstrip(), Span(self.path, raw.number, 1, raw.number, 1))
                )
                continue
            if not raw.text.strip():
                continue
            cut = self._continues(raw.text)
            self._append(raw, 0, len(raw.text) if cut is None else cut, chars, where)
        where.append(Position(last.number, len(last.text) + 1))
        line = LogicalLine(self.path, "".join(chars), tuple(where))
        return self._build(line, first, last)

    def _build(self, line: LogicalLine, first: _RawLine, last: _RawLine) -> Instruction:
        text = line.text
        keyword_end = 0
        while keyword_end < len(text) and not text[keyword_end].isspace():
            keyword_end += 1
        keyword = text[:keyword_end].upper()
        if keyword not in KNOWN_INSTRUCTIONS:
            raise self.fail(f"unknown instruction: {text[:keyword_end]}", first.number)
        flags, args_start = _leading_flags(line, keyword_end)
        args_end = len(text.rstrip())
        args = text[args_start:args_end] if args_start < args_end else ""
        json_words: tuple[Located, ...] | None = None
        json_problem: str | None = None
        if keyword in JSON_INSTRUCTIONS and args.startswith("["):
            json_words, json_problem = _parse_json_array(line, args_start, args)
            if json_problem is not None and json_problem.startswith("!"):
                raise self.fail(json_problem[1:], first.number)
        heredocs: tuple[Heredoc, ...] = ()
        end_line, end_col = last.number, len(last.text) + 1
        if keyword in HEREDOC_INSTRUCTIONS and "<<" in text and json_words is None:
            heredocs = self._read_heredocs(text, first.number)
            if heredocs:
                end_line, end_col = heredocs[-1].span.end_line, heredocs[-1].span.end_column
        start = line.positions[0]
        return Instruction(
            keyword=keyword,
            keyword_span=line.span(0, keyword_end),
            flags=flags,
            args=args,
            args_start=args_start,
            line=line,
            span=Span(self.path, start.line, start.column, end_line, end_col),
            heredocs=heredocs,
            json_words=json_words,
            json_problem=json_problem,
        )

    def _read_heredocs(self, text: str, number: int) -> tuple[Heredoc, ...]:
        found: list[Heredoc] = []
        for name, chomp, expand in _heredoc_names(text):
            body: list[str] = []
            first_body = self.index
            while True:
                if self.index >= len(self.lines):
                    raise self.fail(f"unterminated heredoc {name}", number)
                raw = self.lines[self.index]
                self.index += 1
                candidate = raw.text.lstrip("\t") if chomp else raw.text
                if candidate == name:
                    break
                body.append(raw.text + "\n")
            first_number = self.lines[first_body].number
            span = Span(self.path, first_number, 1, raw.number, len(raw.text) + 1)
            found.append(Heredoc(name, chomp, expand, "".join(body), span))
        return tuple(found)


def _leading_flags(line: LogicalLine, keyword_end: int) -> tuple[tuple[Located, ...], int]:
    """BuildKit's builder flags: leading ``--name[=value]`` words; ``--`` alone ends them."""
    text = line.text
    flags: list[Located] = []
    i = keyword_end
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if not text.startswith("--", i):
            return tuple(flags), i
        end = i
        while end < len(text) and not text[end].isspace():
            end += 1
        word = text[i:end]
        if word == "--":
            return tuple(flags), end
        flags.append(Located(word[2:], line.span(i, end)))
        i = end


def _parse_json_array(
    line: LogicalLine, args_start: int, args: str
) -> tuple[tuple[Located, ...] | None, str | None]:
    """Exec form when ``args`` is a JSON array of strings; a problem text otherwise.

    A problem starting with ``!`` is fatal (BuildKit rejects a JSON array of non-strings);
    any other problem means Docker silently treats the text as shell form.
    """
    try:
        values = json.loads(args)
    except ValueError as error:
        return None, f"not valid JSON ({error.args[0].split(':')[0]})"
    if not isinstance(values, list):
        return None, "not a JSON array"
    if not all(isinstance(value, str) for value in values):
        return None, "!when using JSON array syntax, arrays must be comprised of strings only"
    words: list[Located] = []
    i = 1
    for value in values:
        i = args.index('"', i)
        _, end = json.decoder.scanstring(args, i + 1)  # type: ignore[attr-defined]
        words.append(Located(value, line.span(args_start + i, args_start + end)))
        i = end
    return tuple(words), None


def _heredoc_names(text: str) -> list[tuple[str, bool, bool]]:
    """(name, chomp, expand) of each heredoc opened on the instruction line."""
    names: list[tuple[str, bool, bool]] = []
    for raw_word in _raw_words(text):
        match = _HEREDOC_WORD.match(raw_word)
        if match is None or not match.group(3):
            continue
        rest = match.group(3)
        unquoted = _unquote(rest)
        if unquoted is None or not unquoted:
            continue
        names.append((unquoted, match.group(2) == "-", unquoted == rest))
    return names


def _raw_words(text: str) -> list[str]:
    """Words split on unquoted white space, quotes kept (BuildKit's raw lexing)."""
    words: list[str] = []
    current: list[str] = []
    quote = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            current.append(ch)
            if ch == quote:
                quote = ""
            elif ch == "\\" and quote == '"' and i + 1 < len(text):
                current.append(text[i + 1])
                i += 1
        elif ch in "'\"":
            quote = ch
            current.append(ch)
        elif ch == "\\" and i + 1 < len(text):
            current.append(ch + text[i + 1])
            i += 1
        elif ch.isspace():
            if current:
                words.append("".join(current))
                current = []
        else:
            current.append(ch)
        i += 1
    if current:
        words.append("".join(current))
    return words


def _unquote(word: str) -> str | None:
    """The heredoc delimiter with quotes removed; None when it is not a single word."""
    out: list[str] = []
    quote = ""
    for ch in word:
        if quote:
            if ch == quote:
                quote = ""
            else:
                out.append(ch)
        elif ch in "'\"":
            quote = ch
        else:
            out.append(ch)
    return None if quote else "".join(out)


def parse_dockerfile(text: str, path: str) -> DockerfileSyntax:
    """Split ``text`` into instructions; raise InputError for what BuildKit rejects."""
    return _Lexer(path, text).lex()

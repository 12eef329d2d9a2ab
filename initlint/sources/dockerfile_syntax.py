"""The Dockerfile's syntax: instructions with exact spans, as BuildKit's parser splits them.

Why our own lexer and not dockerfile-parse: dockerfile-parse gives no columns, and it gets
heredocs, blank lines inside continuations and comments inside continuations wrong
(measured against BuildKit). The rules here follow BuildKit's parser
(frontend/dockerfile/parser); the tests hold us to BuildKit's own parser (the
``dockerfile`` package) on a corpus and on generated files.

Every character of an instruction's logical line (its continuation lines joined, comment
lines dropped) remembers where it stands in the file, so any piece of it maps back to an
exact span.
"""

from __future__ import annotations

import re
from typing import NamedTuple, TypedDict

from initlint.errors import InputError
from initlint.model import Located, Position, Span
from initlint.sources.buildkit_words import (
    GO_SPACE,
    GO_SPACE_CHARS,
    ShellWordError,
    heredoc_delimiter,
    raw_line_words,
)
from initlint.sources.dockerfile_arguments import (
    NON_STRING_JSON,
    JsonArray,
    builder_flags,
    check_name_values,
    parse_json_array,
    skip_space,
)
from initlint.sources.logical_line import LogicalLine

# Go's \s in BuildKit's directive regex is ASCII only (no \v).
_S = r"[\t\n\f\r ]*"
_DIRECTIVE = re.compile(rf"^#{_S}([a-zA-Z][a-zA-Z0-9]*){_S}={_S}(.+?){_S}$")
# ``check`` came with Dockerfile frontend 1.8 (BuildKit 0.14); the ``dockerfile`` package
# used as test oracle predates it and would end the directives there.
KNOWN_DIRECTIVES = frozenset({"syntax", "escape", "check"})
HEREDOC_INSTRUCTIONS = frozenset({"RUN", "COPY", "ADD"})
JSON_INSTRUCTIONS = frozenset({"RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME"})
KNOWN_INSTRUCTIONS = frozenset(
    {
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
        "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
        "WORKDIR",
    }
)  # fmt: skip
FORBIDDEN_TRIGGERS = frozenset({"ONBUILD", "FROM", "MAINTAINER"})

# The separator between the keyword and its arguments (BuildKit's reWhitespace).
_KEYWORD_SEPARATOR = frozenset("\t\v\f\r ")


def _lstrip_go(text: str) -> str:
    return text.lstrip(GO_SPACE_CHARS)


def _rstrip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in GO_SPACE:
        end -= 1
    return end


class Heredoc(NamedTuple):
    name: str
    chomp: bool  # <<- strips leading tabs
    expand: bool  # unquoted delimiter: variables are expanded
    body: str  # every body line followed by "\n" (a CR before it is kept, as BuildKit does)
    span: Span  # from the first body line to the end of the terminator line
    fd: int = 0  # 3<<EOF feeds file descriptor 3


class Instruction(NamedTuple):
    keyword: str  # upper case
    keyword_span: Span
    flags: tuple[Located, ...]  # builder flags: value as BuildKit reads it (quotes removed),
    #                            without the leading "--"; the span covers the raw word
    args: str  # the arguments as BuildKit sees them (trimmed)
    args_start: int  # offset of ``args`` in ``line.text``
    line: LogicalLine
    span: Span  # the whole instruction, continuation lines and heredocs included
    heredocs: tuple[Heredoc, ...] = ()
    json_words: tuple[Located, ...] | None = None  # exec (JSON) form elements
    json_problem: str | None = None  # looked like JSON but is not valid: shell form
    # exec form followed by more text, which BuildKit silently drops: CMD ["a"] b runs a
    json_ignored: Located | None = None
    # ONBUILD: the trigger instruction (its spans point into the same line); not applied
    trigger: Instruction | None = None
    # HEALTHCHECK: the type word (CMD/NONE); json_words then belong to the command after it
    healthcheck_type: str | None = None

    @property
    def is_exec_form(self) -> bool:
        return self.json_words is not None

    def args_span(self, start: int = 0, end: int | None = None) -> Span:
        """Span of ``args[start:end]``."""
        stop = len(self.args) if end is None else end
        return self.line.span(self.args_start + start, self.args_start + stop)


class _ArgumentFields(TypedDict, total=False):
    """Instruction fields that depend on the keyword."""

    json_words: tuple[Located, ...] | None
    json_problem: str | None
    json_ignored: Located | None
    trigger: Instruction | None
    healthcheck_type: str | None


class DockerfileSyntax(NamedTuple):
    path: str
    escape: str
    directives: tuple[tuple[str, str], ...]
    instructions: tuple[Instruction, ...]
    comments: tuple[Located, ...]  # every comment line (for inline ignores)


class _Pieces:
    """A logical line being assembled from physical lines."""

    __slots__ = ("length", "positions", "starts", "texts")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.positions: list[Position] = []
        self.texts: list[str] = []
        self.length = 0


class _RawLine(NamedTuple):
    number: int  # 1-based
    text: str  # the line without its trailing CR/LF characters (BuildKit's trimNewline)
    raw: str  # the line without its LF only: heredoc bodies keep a CR


def _split_lines(text: str) -> list[_RawLine]:
    body = text[1:] if text.startswith("\ufeff") else text
    pieces = body.split("\n")
    if pieces and pieces[-1] == "":
        pieces.pop()
    return [_RawLine(i + 1, piece.rstrip("\r\n"), piece) for i, piece in enumerate(pieces)]


def _is_comment(text: str) -> bool:
    return _lstrip_go(text).startswith("#")


def _is_blank(text: str) -> bool:
    return not _lstrip_go(text)


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
        """Where the continuation character starts, if ``text`` ends with one.

        BuildKit's rule: one escape character at the end of the line (spaces and tabs may
        follow), not preceded by another one: ``a\\\\`` ends the instruction.
        """
        stripped = text.rstrip(" \t")
        if not stripped.endswith(self.escape):
            return None
        if len(stripped) >= 2 and stripped[-2] == self.escape:
            return None
        return len(stripped) - 1

    def _see_directive(self, text: str, number: int) -> None:
        """BuildKit reads directives until the first line that is not a known one."""
        if self.directives_done:
            return
        match = _DIRECTIVE.match(text)
        name = match.group(1).lower() if match else ""
        if match is None or name not in KNOWN_DIRECTIVES:
            self.directives_done = True
            return
        value = match.group(2)
        if any(seen == name for seen, _ in self.directives):
            raise self.fail(f"only one {name} parser directive can be used", number)
        self.directives.append((name, value))
        if name == "escape":
            if value not in ("\\", "`"):
                raise self.fail(f"invalid escape token {value!r}: use \\ or `", number)
            self.escape = value

    def _comment(self, raw: _RawLine) -> None:
        stripped = _lstrip_go(raw.text)
        offset = len(raw.text) - len(stripped)
        span = Span(self.path, raw.number, offset + 1, raw.number, len(raw.text) + 1)
        self.comments.append(Located(stripped, span))

    @staticmethod
    def _append(raw: _RawLine, start: int, end: int, pieces: _Pieces) -> None:
        if end > start:
            pieces.starts.append(pieces.length)
            pieces.positions.append(Position(raw.number, start + 1))
            pieces.texts.append(raw.text[start:end])
            pieces.length += end - start

    def lex(self) -> DockerfileSyntax:
        instructions: list[Instruction] = []
        while self.index < len(self.lines):
            raw = self.lines[self.index]
            self.index += 1
            stripped = _lstrip_go(raw.text)
            self._see_directive(stripped, raw.number)
            if stripped.startswith("#"):
                self._comment(raw)
                continue
            if not stripped:
                continue
            instructions.append(self._instruction(raw))
        return DockerfileSyntax(
            self.path, self.escape, tuple(self.directives), tuple(instructions),
            tuple(self.comments),
        )  # fmt: skip

    def _instruction(self, first: _RawLine) -> Instruction:
        pieces = _Pieces()
        start_col = len(first.text) - len(_lstrip_go(first.text))
        cut = self._continues(first.text)
        self._append(first, start_col, len(first.text) if cut is None else cut, pieces)
        last = first
        while cut is not None and self.index < len(self.lines):
            raw = self.lines[self.index]
            self.index += 1
            last = raw
            if _is_comment(raw.text):
                self._comment(raw)
                continue
            if _is_blank(raw.text):
                continue
            cut = self._continues(raw.text)
            self._append(raw, 0, len(raw.text) if cut is None else cut, pieces)
        end = Position(last.number, len(last.text) + 1)
        line = LogicalLine(
            self.path, "".join(pieces.texts), tuple(pieces.starts), tuple(pieces.positions), end
        )
        start = Position(first.number, start_col + 1)
        instruction = self._build(line, 0, first.number, start, end)
        return self._attach_heredocs(instruction, first.number)

    def _build(
        self, line: LogicalLine, offset: int, number: int, start: Position, end: Position
    ) -> Instruction:
        """The instruction in ``line.text[offset:]`` (offset > 0 for an ONBUILD trigger)."""
        text = line.text
        text_end = _rstrip_end(text, offset, len(text))
        keyword_start = skip_space(text, offset, text_end)
        keyword_end = keyword_start
        while keyword_end < text_end and text[keyword_end] not in _KEYWORD_SEPARATOR:
            keyword_end += 1
        written = text[keyword_start:keyword_end]
        keyword = written.upper()
        rest = keyword_end
        while rest < text_end and text[rest] in _KEYWORD_SEPARATOR:
            rest += 1
        flags, args_start = builder_flags(line, rest, text_end)
        args_start = skip_space(text, args_start, text_end)
        args = text[args_start:text_end]
        if offset == 0 and keyword not in KNOWN_INSTRUCTIONS:
            raise self.fail(f"unknown instruction: {written}", number)
        return Instruction(
            keyword=keyword,
            keyword_span=line.span(keyword_start, keyword_end),
            flags=flags,
            args=args,
            args_start=args_start,
            line=line,
            span=Span(self.path, start.line, start.column, end.line, end.column),
            **self._arguments(keyword, args, line, args_start, number, start, end),
        )

    def _arguments(
        self,
        keyword: str,
        args: str,
        line: LogicalLine,
        args_start: int,
        number: int,
        start: Position,
        end: Position,
    ) -> _ArgumentFields:
        """Check and read the arguments the way BuildKit's dispatch table does."""
        if keyword in JSON_INSTRUCTIONS and args:
            return self._json_fields(parse_json_array(line, args_start, args), number)
        if keyword == "HEALTHCHECK" and args:
            sep = 0
            while sep < len(args) and args[sep] not in GO_SPACE:
                sep += 1
            command_start = skip_space(args, sep, len(args))
            fields = _ArgumentFields(healthcheck_type=args[:sep])
            if command_start < len(args):
                parsed = parse_json_array(line, args_start + command_start, args[command_start:])
                fields.update(self._json_fields(parsed, number))
            return fields
        if keyword in ("ENV", "LABEL"):
            check_name_values(keyword, args, self.escape, self.path, number)
        if keyword == "ONBUILD" and args:
            trigger = self._build(line, args_start, number, start, end)
            if trigger.keyword in FORBIDDEN_TRIGGERS:
                raise self.fail(f"{trigger.keyword} isn't allowed as an ONBUILD trigger", number)
            return _ArgumentFields(trigger=trigger)
        return _ArgumentFields()

    def _json_fields(self, parsed: JsonArray, number: int) -> _ArgumentFields:
        if parsed.problem == NON_STRING_JSON:
            raise self.fail(parsed.problem, number)
        return _ArgumentFields(
            json_words=parsed.words, json_problem=parsed.problem, json_ignored=parsed.ignored
        )

    def _attach_heredocs(self, instruction: Instruction, number: int) -> Instruction:
        target = instruction.trigger if instruction.trigger is not None else instruction
        text = instruction.line.text
        if (
            target.keyword not in HEREDOC_INSTRUCTIONS
            or target.json_words is not None
            or "<<" not in text
        ):
            return instruction
        heredocs = self._read_heredocs(text, number)
        if not heredocs:
            return instruction
        end = heredocs[-1].span
        span = Span(
            self.path, instruction.span.line, instruction.span.column, end.end_line, end.end_column
        )
        if instruction.trigger is not None:
            trigger = instruction.trigger._replace(heredocs=heredocs, span=span)
            return instruction._replace(heredocs=heredocs, span=span, trigger=trigger)
        return instruction._replace(heredocs=heredocs, span=span)

    def _read_heredocs(self, text: str, number: int) -> tuple[Heredoc, ...]:
        found: list[Heredoc] = []
        for word in raw_line_words(text):
            try:
                delimiter = heredoc_delimiter(word)
            except ShellWordError as error:
                raise self.fail(str(error), number) from None
            if delimiter is None:
                continue
            body: list[str] = []
            first_body = self.index
            while True:
                if self.index >= len(self.lines):
                    raise self.fail(f"unterminated heredoc {delimiter.name}", number)
                raw = self.lines[self.index]
                self.index += 1
                candidate = raw.text.lstrip("\t") if delimiter.chomp else raw.text
                if candidate == delimiter.name:
                    break
                body.append(raw.raw + "\n")
            first_number = self.lines[first_body].number
            span = Span(self.path, first_number, 1, raw.number, len(raw.text) + 1)
            found.append(
                Heredoc(
                    delimiter.name,
                    delimiter.chomp,
                    delimiter.expand,
                    "".join(body),
                    span,
                    delimiter.fd,
                )
            )
        return tuple(found)


def parse_dockerfile(text: str, path: str) -> DockerfileSyntax:
    """Split ``text`` into instructions; raise InputError for what BuildKit rejects."""
    return _Lexer(path, text).lex()

"""Just enough POSIX shell syntax to read a ``sh -c`` string the way the shell will.

The rules need the shape of a short script, not its meaning: its top-level list of commands
and how they are joined (``;``, ``&&``, ``||``, ``&``, newlines, pipes), the last simple
command with its exact offset (where ``exec `` would go), whether it is already ``exec``'d,
redirected or backgrounded, which ``trap``s are set, and whether the words are plain enough
to be written as an exec-form array. Anything this reader is not sure about (heredocs,
arithmetic, an unterminated quote, unbalanced compound commands) makes :func:`parse_script`
return ``None``, and the rules then stay quiet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Union

_OPERATORS = (
    "&>>", "<<<", "<<-", ";;&", "&&", "||", ";;", ";&", "|&", "<<", ">>", "<&", ">&", "<>",
    ">|", "&>", ";", "&", "|", "(", ")", "<", ">",
)  # fmt: skip
_OPERATOR_START = frozenset("&|;()<>")
_REDIRECTS = frozenset({"<", ">", ">>", "<&", ">&", "<>", ">|", "&>", "&>>", "<<<"})
_RESERVED_OPENERS = frozenset(
    {"if", "case", "while", "until", "for", "select", "{", "function", "[[", "coproc"}
)
# Characters that make the shell do something to an unquoted word besides splitting it.
_SPECIAL_UNQUOTED = frozenset("*?[]{}~#!")


class ShellSyntaxError(ValueError):
    """The script uses something this reader does not follow."""


@dataclass(frozen=True)
class ShellWord:
    raw: str  # as written
    start: int
    end: int
    value: str  # quotes removed (expansions left as written)
    quoted: bool = False
    expands: bool = False  # has $..., `...` (parameter, command or arithmetic expansion)
    special: bool = False  # unquoted glob, brace, tilde, backslash, history or comment char

    @property
    def is_literal(self) -> bool:
        """The shell would pass ``value`` through unchanged."""
        return not self.expands and not self.special


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "op", "newline", "io_number"
    text: str
    start: int
    end: int
    word: ShellWord | None = None


@dataclass(frozen=True)
class SimpleCommand:
    start: int
    end: int
    assignments: tuple[ShellWord, ...]
    words: tuple[ShellWord, ...]  # command name and arguments, redirections left out
    redirects: tuple[str, ...]  # the redirection operators, in order
    command_offset: int  # where the first word after the assignments starts

    @property
    def name(self) -> ShellWord | None:
        return self.words[0] if self.words else None


@dataclass(frozen=True)
class CompoundCommand:
    keyword: str  # "if", "{", "(", "case", "while", "function", ...
    start: int
    end: int
    inner: tuple[SimpleCommand, ...]  # every simple command inside, in order


AnyCommand = Union[SimpleCommand, CompoundCommand]


@dataclass(frozen=True)
class Pipeline:
    commands: tuple[AnyCommand, ...]
    negated: bool = False


@dataclass(frozen=True)
class AndOr:
    """Pipelines joined by ``&&``/``||``; ``separator`` is what ends it (``;``, ``&``, newline)."""

    pipelines: tuple[Pipeline, ...]
    connectors: tuple[str, ...]  # "&&" or "||", one fewer than pipelines
    separator: str | None
    end: int  # offset after the last pipeline (before the separator)


@dataclass(frozen=True)
class Script:
    text: str
    items: tuple[AndOr, ...]
    comments: bool  # the script has a comment

    @property
    def simple_commands(self) -> tuple[SimpleCommand, ...]:
        """Every simple command, nested ones included, in order."""
        found: list[SimpleCommand] = []
        for item in self.items:
            for pipeline in item.pipelines:
                for command in pipeline.commands:
                    if isinstance(command, SimpleCommand):
                        found.append(command)
                    else:
                        found.extend(command.inner)
        return tuple(found)

    @property
    def last_item(self) -> AndOr | None:
        return self.items[-1] if self.items else None


# --- tokens -------------------------------------------------------------------------------


class _Tokenizer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.comments = False

    def tokens(self) -> list[_Token]:
        out: list[_Token] = []
        text = self.text
        while self.i < len(text):
            ch = text[self.i]
            if ch in " \t\r":
                self.i += 1
            elif ch == "\\" and text.startswith("\\\n", self.i):
                self.i += 2
            elif ch == "\n":
                out.append(_Token("newline", "\n", self.i, self.i + 1))
                self.i += 1
            elif ch == "#":
                self.comments = True
                while self.i < len(text) and text[self.i] != "\n":
                    self.i += 1
            elif ch in _OPERATOR_START:
                op = next(o for o in _OPERATORS if text.startswith(o, self.i))
                if op in ("<<", "<<-"):
                    raise ShellSyntaxError("heredoc")
                out.append(_Token("op", op, self.i, self.i + len(op)))
                self.i += len(op)
            else:
                word = self._word()
                kind = "word"
                if word.raw.isdigit() and self.i < len(text) and text[self.i] in "<>":
                    kind = "io_number"
                out.append(_Token(kind, word.raw, word.start, word.end, word))
        return out

    def _word(self) -> ShellWord:
        text = self.text
        start = self.i
        value: list[str] = []
        quoted = expands = special = False
        while self.i < len(text):
            ch = text[self.i]
            if ch in " \t\r\n" or ch in _OPERATOR_START:
                break
            if ch == "'":
                end = text.find("'", self.i + 1)
                if end < 0:
                    raise ShellSyntaxError("unterminated single quote")
                value.append(text[self.i + 1 : end])
                quoted = True
                self.i = end + 1
            elif ch == '"':
                quoted = True
                self.i += 1
                while True:
                    if self.i >= len(text):
                        raise ShellSyntaxError("unterminated double quote")
                    c = text[self.i]
                    if c == '"':
                        self.i += 1
                        break
                    if c == "\\":
                        special = True
                        value.append(text[self.i : self.i + 2])
                        self.i += 2
                    elif c in "$`":
                        expands = True
                        value.append(self._expansion())
                    else:
                        value.append(c)
                        self.i += 1
            elif ch == "\\":
                special = True
                if self.i + 1 >= len(text):
                    raise ShellSyntaxError("trailing backslash")
                value.append(text[self.i + 1])
                self.i += 2
            elif ch in "$`":
                if text.startswith("$'", self.i):
                    raise ShellSyntaxError("$'...' quoting")
                expands = True
                value.append(self._expansion())
            else:
                if ch in _SPECIAL_UNQUOTED:
                    special = True
                value.append(ch)
                self.i += 1
        raw = text[start : self.i]
        return ShellWord(raw, start, self.i, "".join(value), quoted, expands, special)

    def _expansion(self) -> str:
        """Skip ``$name``, ``${...}``, ``$(...)``, ``$((...))`` or a backquoted command."""
        text = self.text
        start = self.i
        if text[self.i] == "`":
            end = self.i + 1
            while end < len(text) and text[end] != "`":
                end += 2 if text[end] == "\\" else 1
            if end >= len(text):
                raise ShellSyntaxError("unterminated backquote")
            self.i = end + 1
            return text[start : self.i]
        self.i += 1  # the $
        if self.i >= len(text):
            return "$"
        ch = text[self.i]
        if ch == "{":
            self._skip_balanced("{", "}")
        elif ch == "(":
            self._skip_balanced("(", ")")
        elif ch.isalnum() or ch == "_":
            while self.i < len(text) and (text[self.i].isalnum() or text[self.i] == "_"):
                self.i += 1
        elif ch in "@*#?$!-":
            self.i += 1
        return text[start : self.i]

    def _skip_balanced(self, opening: str, closing: str) -> None:
        text = self.text
        depth = 0
        while self.i < len(text):
            ch = text[self.i]
            if ch == "\\":
                self.i += 2
                continue
            if ch == "'" and opening == "(":
                end = text.find("'", self.i + 1)
                if end < 0:
                    raise ShellSyntaxError("unterminated single quote")
                self.i = end + 1
                continue
            if ch == '"':
                self.i += 1
                while self.i < len(text) and text[self.i] != '"':
                    if text[self.i] == "\\":
                        self.i += 1
                    elif text[self.i] == "$" and text.startswith("$(", self.i):
                        self.i += 1
                        self._skip_balanced("(", ")")
                        continue
                    self.i += 1
                self.i += 1
                continue
            if ch == opening:
                depth += 1
            elif ch == closing:
                depth -= 1
                if depth == 0:
                    self.i += 1
                    return
            self.i += 1
        raise ShellSyntaxError(f"unterminated {opening}")


# --- grammar ------------------------------------------------------------------------------


@dataclass
class _Parser:
    tokens: list[_Token]
    text: str
    pos: int = 0
    nested: list[SimpleCommand] = field(default_factory=list)

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def at_word(self, *texts: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "word" and token.text in texts

    def at_op(self, *texts: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "op" and token.text in texts

    def skip_newlines(self) -> None:
        while (token := self.peek()) is not None and token.kind == "newline":
            self.pos += 1

    def expect_word(self, text: str) -> _Token:
        token = self.peek()
        if token is None or token.kind != "word" or token.text != text:
            raise ShellSyntaxError(f"expected {text}")
        self.pos += 1
        return token

    def parse_list(self, stop_words: frozenset[str], stop_paren: bool = False) -> list[AndOr]:
        items: list[AndOr] = []
        while True:
            self.skip_newlines()
            token = self.peek()
            if token is None:
                return items
            if token.kind == "word" and token.text in stop_words:
                return items
            if token.kind == "op" and token.text == ")" and stop_paren:
                return items
            items.append(self.parse_and_or())

    def parse_and_or(self) -> AndOr:
        pipelines = [self.parse_pipeline()]
        connectors: list[str] = []
        while self.at_op("&&", "||"):
            token = self.peek()
            assert token is not None
            connectors.append(token.text)
            self.pos += 1
            self.skip_newlines()
            pipelines.append(self.parse_pipeline())
        end = self.tokens[self.pos - 1].end
        separator: str | None = None
        token = self.peek()
        if token is not None:
            if token.kind == "newline" or (token.kind == "op" and token.text in (";", "&")):
                separator = token.text
                self.pos += 1
            elif not (token.kind == "op" and token.text == ")"):
                raise ShellSyntaxError(f"unexpected {token.text!r}")
        return AndOr(tuple(pipelines), tuple(connectors), separator, end)

    def parse_pipeline(self) -> Pipeline:
        negated = False
        if self.at_word("!"):
            negated = True
            self.pos += 1
        commands = [self.parse_command()]
        while self.at_op("|", "|&"):
            self.pos += 1
            self.skip_newlines()
            commands.append(self.parse_command())
        return Pipeline(tuple(commands), negated)

    def parse_command(self) -> AnyCommand:
        token = self.peek()
        if token is None:
            raise ShellSyntaxError("missing command")
        if token.kind == "op" and token.text == "(":
            if self.pos + 1 < len(self.tokens) and self.tokens[self.pos + 1].text == "(":
                raise ShellSyntaxError("arithmetic command")
            return self._compound("(", token.start, self._subshell)
        if token.kind == "word" and token.text in _RESERVED_OPENERS:
            return self._compound(token.text, token.start, self._reserved)
        if (
            token.kind == "word"
            and self.pos + 2 < len(self.tokens)
            and self.tokens[self.pos + 1].text == "("
            and self.tokens[self.pos + 2].text == ")"
        ):
            return self._compound("function", token.start, self._function_definition)
        return self.parse_simple()

    def _compound(self, keyword: str, start: int, body: Callable[[], None]) -> CompoundCommand:
        outer = self.nested
        self.nested = []
        body()
        self._trailing_redirects()
        inner = tuple(self.nested)
        self.nested = outer + list(inner)
        return CompoundCommand(keyword, start, self.tokens[self.pos - 1].end, inner)

    def _collect(self, items: list[AndOr]) -> None:
        for item in items:
            for pipeline in item.pipelines:
                for command in pipeline.commands:
                    if isinstance(command, SimpleCommand):
                        self.nested.append(command)

    def _subshell(self) -> None:
        self.pos += 1  # (
        self._collect(self.parse_list(frozenset(), stop_paren=True))
        if not self.at_op(")"):
            raise ShellSyntaxError("unterminated (")
        self.pos += 1

    def _reserved(self) -> None:
        token = self.peek()
        assert token is not None
        keyword = token.text
        self.pos += 1
        if keyword == "{":
            self._collect(self.parse_list(frozenset({"}"})))
            self.expect_word("}")
        elif keyword == "if":
            self._collect(self.parse_list(frozenset({"then"})))
            self.expect_word("then")
            while True:
                self._collect(self.parse_list(frozenset({"elif", "else", "fi"})))
                token = self.peek()
                if token is None:
                    raise ShellSyntaxError("unterminated if")
                self.pos += 1
                if token.text == "fi":
                    break
                if token.text == "elif":
                    self._collect(self.parse_list(frozenset({"then"})))
                    self.expect_word("then")
        elif keyword in ("while", "until"):
            self._collect(self.parse_list(frozenset({"do"})))
            self._do_group()
        elif keyword in ("for", "select"):
            if self.at_op("("):
                raise ShellSyntaxError("arithmetic for")
            self.pos += 1  # the name
            while (token := self.peek()) is not None and not (
                token.kind == "newline" or token.text in (";", "do")
            ):
                self.pos += 1
            if self.at_op(";"):
                self.pos += 1
            self.skip_newlines()
            self._do_group()
        elif keyword == "case":
            depth = 1
            while depth:
                token = self.peek()
                if token is None:
                    raise ShellSyntaxError("unterminated case")
                self.pos += 1
                if token.kind == "word" and token.text == "case":
                    depth += 1
                elif token.kind == "word" and token.text == "esac":
                    depth -= 1
        elif keyword == "[[":
            while not self.at_word("]]"):
                if self.peek() is None:
                    raise ShellSyntaxError("unterminated [[")
                self.pos += 1
            self.pos += 1
        elif keyword == "function":
            self.pos += 1  # the name
            if self.at_op("("):
                self.pos += 1
                if not self.at_op(")"):
                    raise ShellSyntaxError("bad function definition")
                self.pos += 1
            self.skip_newlines()
            self.parse_command()
        else:
            raise ShellSyntaxError(f"{keyword} is not supported")

    def _do_group(self) -> None:
        self.expect_word("do")
        self._collect(self.parse_list(frozenset({"done"})))
        self.expect_word("done")

    def _function_definition(self) -> None:
        self.pos += 3  # name ( )
        self.skip_newlines()
        body = self.parse_command()
        if isinstance(body, SimpleCommand):
            raise ShellSyntaxError("function body must be compound")

    def _trailing_redirects(self) -> None:
        while True:
            token = self.peek()
            if token is None:
                return
            if token.kind == "io_number":
                self.pos += 1
                token = self.peek()
            if token is None or token.kind != "op" or token.text not in _REDIRECTS:
                return
            self.pos += 1
            self._redirect_target()

    def _redirect_target(self) -> None:
        token = self.peek()
        if token is None or token.kind != "word":
            raise ShellSyntaxError("redirection without a target")
        self.pos += 1

    def parse_simple(self) -> SimpleCommand:
        assignments: list[ShellWord] = []
        words: list[ShellWord] = []
        redirects: list[str] = []
        start = self.tokens[self.pos].start
        first_other: int | None = None  # the first redirection or word: where exec goes
        while (token := self.peek()) is not None:
            if token.kind == "io_number" or (token.kind == "op" and token.text in _REDIRECTS):
                if first_other is None:
                    first_other = token.start
                if token.kind == "io_number":
                    self.pos += 1
                    token = self.peek()
                    if token is None or token.kind != "op" or token.text not in _REDIRECTS:
                        raise ShellSyntaxError("bad redirection")
                redirects.append(token.text)
                self.pos += 1
                self._redirect_target()
                continue
            if token.kind != "word":
                break
            word = token.word
            assert word is not None
            if not words and _is_assignment(word):
                if first_other is not None:
                    raise ShellSyntaxError("assignment after a redirection")
                assignments.append(word)
            else:
                if first_other is None:
                    first_other = token.start
                words.append(word)
            self.pos += 1
        if self.pos < len(self.tokens) and self.tokens[self.pos].start == start:
            raise ShellSyntaxError(f"unexpected {self.tokens[self.pos].text!r}")
        return SimpleCommand(
            start=start,
            end=self.tokens[self.pos - 1].end,
            assignments=tuple(assignments),
            words=tuple(words),
            redirects=tuple(redirects),
            command_offset=start if first_other is None else first_other,
        )


def _is_assignment(word: ShellWord) -> bool:
    name, equals, _ = word.raw.partition("=")
    return bool(equals) and name.isidentifier() and name.isascii()


def parse_script(text: str) -> Script | None:
    """The script's structure, or None when it uses syntax this reader does not follow."""
    try:
        tokenizer = _Tokenizer(text)
        tokens = tokenizer.tokens()
        parser = _Parser(tokens, text)
        items = parser.parse_list(frozenset())
        if parser.pos != len(tokens):
            raise ShellSyntaxError(f"unexpected {tokens[parser.pos].text!r}")
    except ShellSyntaxError:
        return None
    return Script(text, tuple(items), tokenizer.comments)


def plain_words(text: str) -> tuple[str, ...] | None:
    """The words of ``text`` when it is one simple command that needs no shell at all.

    No variables, command substitution, globs, tildes, braces, backslashes, comments,
    operators (``;``, ``&&``, ``|``, redirections, ``&``), leading assignments or reserved
    words; quotes are fine when they only group words.
    """
    script = parse_script(text)
    if script is None or script.comments or len(script.items) != 1:
        return None
    item = script.items[0]
    if item.separator is not None or len(item.pipelines) != 1:
        return None
    pipeline = item.pipelines[0]
    if pipeline.negated or len(pipeline.commands) != 1:
        return None
    command = pipeline.commands[0]
    if not isinstance(command, SimpleCommand) or command.assignments or command.redirects:
        return None
    if not command.words or not all(word.is_literal for word in command.words):
        return None
    if command.words[0].raw in _RESERVED_OPENERS or command.words[0].raw in ("!", "}"):
        return None
    return tuple(word.value for word in command.words)

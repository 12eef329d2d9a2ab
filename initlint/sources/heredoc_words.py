"""Finding heredoc delimiters on an instruction line, as BuildKit's shell lexer does.

BuildKit splits the whole line into words with its shell lexer (``\\`` as escape whatever
the escape directive says, quotes and escapes kept), then reads every word shaped like
``[fd]<<[-]WORD`` as a heredoc. A line whose quotes do not close gives no words at all, so
no heredocs. Unset variables are kept as written (``<<EOF$X`` waits for ``EOF$X``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEREDOC_WORD = re.compile(r"^(\d*)<<(-?)([^<]*)$")
_MAX_FD = 2**64 - 1
# Go's unicode.IsSpace: the word separator of BuildKit's shell lexer.
_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


class HeredocWordError(ValueError):
    pass


@dataclass(frozen=True)
class HeredocDelimiter:
    name: str
    chomp: bool
    expand: bool
    fd: int


class _Words:
    """Collects words: plain characters split on space, quoted pieces never do."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self.current: list[str] = []
        self.in_word = False

    def char(self, ch: str) -> None:
        if ch not in _SPACE:
            self.raw(ch)
        elif self.in_word and self.current:
            self.words.append("".join(self.current))
            self.current, self.in_word = [], False

    def raw(self, text: str) -> None:
        self.current.append(text)
        self.in_word = True

    def done(self) -> list[str]:
        word = "".join(self.current)
        if word:
            self.words.append(word)
        return self.words


def _split(text: str, raw_quotes: bool, raw_escapes: bool) -> list[str]:
    """BuildKit's ProcessWords with no variables set and unset ones kept."""
    words = _Words()
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "'":
            close = text.find("'", i + 1)
            if close < 0:
                raise HeredocWordError("unexpected end of statement looking for '")
            words.raw(text[i : close + 1] if raw_quotes else text[i + 1 : close])
            i = close + 1
        elif ch == '"':
            piece, i = _double_quoted(text, i + 1, raw_escapes)
            words.raw(f'"{piece}"' if raw_quotes else piece)
        elif ch == "$" and text.startswith("${", i):
            close = text.find("}", i + 2)
            if close < 0:
                raise HeredocWordError("syntax error: missing '}'")
            words.raw(text[i : close + 1])
            i = close + 1
        elif ch == "\\":
            if raw_escapes:
                words.raw(ch)
            if i + 1 >= n:
                break
            words.raw(text[i + 1])
            i += 2
        else:
            words.char(ch)
            i += 1
    return words.done()


def _double_quoted(text: str, i: int, raw_escapes: bool) -> tuple[str, int]:
    out: list[str] = []
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            return "".join(out), i + 1
        if ch == "\\":
            if raw_escapes:
                out.append(ch)
            if i + 1 < n and text[i + 1] in '"$\\':
                out.append(text[i + 1])
                i += 2
                continue
            if i + 1 < n:  # BuildKit keeps an escape before any other character
                out.append(ch)
            i += 1
            continue
        out.append(ch)
        i += 1
    raise HeredocWordError('unexpected end of statement looking for "')


def raw_line_words(line: str) -> list[str]:
    """The words of an instruction line with quotes and escapes kept; none if quotes are open."""
    try:
        return _split(line, raw_quotes=True, raw_escapes=True)
    except HeredocWordError:
        return []


def heredoc_delimiter(word: str) -> HeredocDelimiter | None:
    """The heredoc that ``word`` opens, if it is one (BuildKit's ParseHeredoc)."""
    match = _HEREDOC_WORD.match(word)
    if match is None or not match.group(3):
        return None
    digits, dash, rest = match.groups()
    # Go's ParseUint saturates on overflow, and BuildKit ignores the error
    fd = min(int(digits), _MAX_FD) if digits else 0
    words = _split(rest, raw_quotes=False, raw_escapes=False)
    if len(words) != 1:
        return None
    raw_words = _split(rest, raw_quotes=True, raw_escapes=False)
    name = words[0]
    quotes = name.count("'") + name.count('"')
    raw_quotes = raw_words[0].count("'") + raw_words[0].count('"')
    return HeredocDelimiter(name, dash == "-", quotes == raw_quotes, fd)

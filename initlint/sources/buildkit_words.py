"""BuildKit's word lexer: how Docker splits, unquotes and expands instruction arguments.

Docker never runs a shell for these. BuildKit splits words in two ways, and each caller
names the one it needs:

- its parser splits FROM, COPY, ADD, VOLUME and EXPOSE arguments on tab, vertical tab, form
  feed, carriage return and space only, blind to quotes (``PARSER_SPACE``); every piece is
  then unquoted and expanded on its own (``argument_words``);
- its parseWords (ENV, LABEL, ARG) and its shell lexer (the values, the heredoc scan of an
  instruction line) split on Go's ``unicode.IsSpace`` outside quotes (``GO_SPACE``; Python's
  ``str.isspace`` also counts ``\x1c``-``\x1f``, Go's does not): ``name_value_words`` keeps
  quotes and escapes, ``split_words`` and ``process_words`` remove them, ``raw_line_words``
  keeps them for the heredoc scan.

Quotes are removed (or kept, for the heredoc scan), the escape character is honoured, and
``$VAR``/``${VAR}`` are expanded with the ``:-``, ``-``, ``:+``, ``+``, ``?``, ``#``, ``%`` and
``/`` modifiers. Offsets are kept so every word maps back to the source.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator, Mapping
from typing import NamedTuple

# Go's unicode.IsSpace: the separator of BuildKit's shell lexer and its parseWords.
GO_SPACE_CHARS = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
GO_SPACE = frozenset(GO_SPACE_CHARS)
# BuildKit's parser (``[\t\v\f\r ]+``) for FROM, COPY, ADD, VOLUME and EXPOSE.
PARSER_SPACE = frozenset("\t\v\f\r ")
_HEREDOC_WORD = re.compile(r"^(\d*)<<(-?)([^<]*)$")
_MAX_FD = 2**64 - 1
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# What may follow a bare ``$``: a name, digits, or one special parameter (BuildKit's rules).
_PARAMETER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!0-]")


class Word(NamedTuple):
    value: str  # quotes removed, escapes resolved, variables expanded when an env was given
    start: int  # offset of the first character in the input
    end: int  # offset after the last character
    quoted: bool  # some part of the word was quoted


class ShellWordError(ValueError):
    pass


# Bounds for one file's ARG/ENV expansion: values that double with each ARG would otherwise
# take gigabytes; glob trimming (``${V%%*x}``) costs the square of the value's length.
MAX_EXPANDED_CHARS = 1024 * 1024
MAX_PATTERN_WORK = 32 * 1024 * 1024


class BoundedScope(Mapping[str, str]):
    """Variables whose expansion is bounded: every value substituted counts against
    MAX_EXPANDED_CHARS, every glob trim or substitution against MAX_PATTERN_WORK, for the
    whole file (``spent`` is shared by the scopes made with ``over``)."""

    def __init__(self, values: Mapping[str, str], spent: list[int] | None = None) -> None:
        self._values = values
        self.spent = spent if spent is not None else [0, 0]

    def over(self, values: Mapping[str, str]) -> BoundedScope:
        return BoundedScope(values, self.spent)

    def __getitem__(self, key: str) -> str:
        value = self._values[key]
        self.spent[0] += len(value)
        if self.spent[0] > MAX_EXPANDED_CHARS:
            raise ShellWordError(
                f"variable expansion grows past {MAX_EXPANDED_CHARS // 1024 // 1024} MiB "
                f"({key} and the variables before it keep growing): not expanded further"
            )
        return value

    def charge_pattern(self, length: int) -> None:
        self.spent[1] += length * length // 2 + 1
        if self.spent[1] > MAX_PATTERN_WORK:
            raise ShellWordError(
                "pattern trimming (${VAR%...}, ${VAR#...}, ${VAR/...}) on values this long "
                "costs too much: not expanded"
            )

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def _charge_pattern(env: Mapping[str, str], value: str) -> None:
    if isinstance(env, BoundedScope):
        env.charge_pattern(len(value))


class _Mode(NamedTuple):
    """How one BuildKit lexer call reads: its escape, variables (None: kept as written),
    white space, and whether quotes and escapes stay in the words (the heredoc scan)."""

    escape: str = "\\"
    env: Mapping[str, str] | None = None
    space: frozenset[str] = GO_SPACE
    raw_quotes: bool = False
    raw_escapes: bool = False


def split_words(text: str, escape: str = "\\", env: Mapping[str, str] | None = None) -> list[Word]:
    """Split ``text`` on unquoted Go white space (BuildKit's parseWords, then each word
    unquoted); expand variables from ``env`` unless it is None. Empty quoted words stay."""
    return _lex(text, _Mode(escape, env))


def process_words(text: str, escape: str = "\\", env: Mapping[str, str] | None = None) -> list[str]:
    """BuildKit's ProcessWords: like ``split_words``, empty words dropped."""
    return [word.value for word in _lex(text, _Mode(escape, env)) if word.value]


def argument_words(
    text: str, escape: str = "\\", env: Mapping[str, str] | None = None
) -> list[Word]:
    """FROM, COPY, ADD, VOLUME, EXPOSE in shell form: BuildKit's parser splits on
    ``PARSER_SPACE`` whatever the quotes, then every piece is unquoted and expanded alone
    (``COPY "a b" /d`` is three pieces, and ``"a`` an unterminated quote)."""
    words: list[Word] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] in PARSER_SPACE:
            i += 1
            continue
        start = i
        while i < n and text[i] not in PARSER_SPACE:
            i += 1
        piece = text[start:i]
        value: list[str] = []
        _, quoted = _read_word(piece, 0, _Mode(escape, env), value, split=False)
        words.append(Word("".join(value), start, i, quoted))
    return words


def name_value_words(text: str, escape: str) -> list[str]:
    """BuildKit's parseWords (ENV, LABEL, ARG before expansion): split on unquoted Go white
    space, keeping quotes and escapes; a word of only quotes stays."""
    words: list[str] = []
    word: list[str] = []
    in_word = False
    blank_ok = False
    quote = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if not in_word:
            if ch in GO_SPACE:
                i += 1
                continue
            in_word = True
        if quote:
            if ch == quote:
                quote = ""
            escaping = ch == escape and quote != "'"
        elif ch in GO_SPACE:
            if blank_ok or word:
                words.append("".join(word))
            word, blank_ok, in_word = [], False, False
            i += 1
            continue
        else:
            if ch in "'\"":
                quote = ch
                blank_ok = True
            escaping = ch == escape
        if escaping:
            if i + 1 == len(text):
                i += 1
                continue
            word.append(ch)
            i += 1
            ch = text[i]
        word.append(ch)
        i += 1
    if in_word and (blank_ok or word):
        words.append("".join(word))
    return words


def _lex(text: str, mode: _Mode) -> list[Word]:
    words: list[Word] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] in mode.space:
            i += 1
            continue
        start = i
        value: list[str] = []
        i, quoted = _read_word(text, i, mode, value, split=True)
        words.append(Word("".join(value), start, i, quoted))
    return words


def process_word(text: str, env: Mapping[str, str], escape: str = "\\") -> str:
    """Expand variables and remove quotes, keeping white space (Docker's ProcessWord).

    What Docker does to the value of USER, STOPSIGNAL, WORKDIR and a legacy ``ENV KEY value``.
    """
    value: list[str] = []
    _read_word(text, 0, _Mode(escape, env), value, split=False)
    return "".join(value)


def _read_word(text: str, i: int, mode: _Mode, value: list[str], split: bool) -> tuple[int, bool]:
    """Read one word (or, with ``split`` False, all of ``text``) into ``value``."""
    n = len(text)
    quoted = False
    escape, env = mode.escape, mode.env
    while i < n and not (split and text[i] in mode.space):
        ch = text[i]
        if ch == escape:
            if mode.raw_escapes:
                value.append(ch)
            if i + 1 < n:
                value.append(text[i + 1])
            i += 2  # an escape character at the very end is dropped
        elif ch == "'":
            close = text.find("'", i + 1)
            if close < 0:
                raise ShellWordError(f"unterminated single quote at offset {i}")
            value.append(text[i : close + 1] if mode.raw_quotes else text[i + 1 : close])
            quoted = True
            i = close + 1
        elif ch == '"':
            inner: list[str] = []
            i = _double_quoted(text, i + 1, mode, inner)
            value.append(f'"{"".join(inner)}"' if mode.raw_quotes else "".join(inner))
            quoted = True
        elif ch == "$" and env is not None:
            i = _expand_at(text, i, escape, env, value)
        elif ch == "$" and text.startswith("${", i):
            close = text.find("}", i + 2)  # kept as written, spaces and all
            if close < 0:
                raise ShellWordError(f"missing '}}' in variable reference at offset {i}")
            value.append(text[i : close + 1])
            i = close + 1
        else:
            value.append(ch)
            i += 1
    return min(i, n), quoted


def expand(text: str, env: Mapping[str, str], escape: str = "\\") -> str:
    """Expand variables in ``text`` without splitting it (as Docker does for a whole value)."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == escape and i + 1 < n and text[i + 1] == "$":
            out.append("$")
            i += 2
        elif ch == "$":
            i = _expand_at(text, i, escape, env, out)
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _double_quoted(text: str, i: int, mode: _Mode, out: list[str]) -> int:
    n = len(text)
    escape = mode.escape
    while i < n:
        ch = text[i]
        if ch == '"':
            return i + 1
        if ch == escape and i + 1 < n and text[i + 1] in ('"', escape, "$"):
            if mode.raw_escapes:
                out.append(ch)
            out.append(text[i + 1])
            i += 2
        elif ch == escape and mode.raw_escapes:
            out.append(ch + ch)  # the escape as written, then kept as BuildKit keeps it
            i += 1
        elif ch == "$" and mode.env is not None:
            i = _expand_at(text, i, escape, mode.env, out)
        else:
            out.append(ch)
            i += 1
    raise ShellWordError("unterminated double quote")


def _expand_at(text: str, i: int, escape: str, env: Mapping[str, str], out: list[str]) -> int:
    """Expand the variable reference starting with ``$`` at ``i``; return the next offset."""
    if text.startswith("${", i):
        close = _matching_brace(text, i + 2)
        if close < 0:
            raise ShellWordError(f"missing '}}' in variable reference at offset {i}")
        out.append(_expand_braced(text[i + 2 : close], env, escape))
        return close + 1
    match = _PARAMETER.match(text, i + 1)
    if match is None:
        out.append("$")
        return i + 1
    out.append(env.get(match.group(), ""))  # $1, $@, $$...: never set in a Dockerfile
    return match.end()


def _matching_brace(text: str, i: int) -> int:
    depth = 1
    while i < len(text):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _expand_braced(inner: str, env: Mapping[str, str], escape: str) -> str:
    match = _NAME.match(inner)
    if match is None:
        raise ShellWordError(f"bad substitution ${{{inner}}}")
    name, rest = match.group(), inner[match.end() :]
    value = env.get(name)
    if not rest:
        return value or ""
    for operator in (":-", ":+", ":?", "-", "+", "?"):
        if rest.startswith(operator):
            word = expand(rest[len(operator) :], env, escape)
            unset = value is None or (operator.startswith(":") and value == "")
            if operator.endswith("-"):
                return word if unset else (value or "")
            if operator.endswith("+"):
                return "" if unset else word
            if unset:
                raise ShellWordError(f"{name}: {word or 'is not allowed to be unset'}")
            return value or ""
    for operator in ("##", "#", "%%", "%"):
        if rest.startswith(operator):
            pattern = expand(rest[len(operator) :], env, escape)
            _charge_pattern(env, value or "")
            return _trim(value or "", pattern, operator)
    if rest.startswith("/"):
        _charge_pattern(env, value or "")
        return _substitute(value or "", expand(rest[1:], env, escape))
    raise ShellWordError(f"unsupported modifier in ${{{inner}}}")


def _trim(value: str, pattern: str, operator: str) -> str:
    """``${VAR#glob}`` and friends: remove the shortest/longest matching prefix/suffix."""
    regex = re.compile(fnmatch.translate(pattern), re.DOTALL)
    cuts = range(len(value) + 1)
    if operator.startswith("#"):
        order = reversed(cuts) if operator == "##" else cuts
        for cut in order:
            if regex.match(value[:cut]):
                return value[cut:]
    else:
        order = cuts if operator == "%%" else reversed(cuts)
        for cut in order:
            if regex.match(value[cut:]):
                return value[:cut]
    return value


def _substitute(value: str, spec: str) -> str:
    """``${VAR/glob/replacement}``; ``${VAR//glob/replacement}`` replaces every match."""
    every = spec.startswith("/")
    body = spec[1:] if every else spec
    split = re.search(r"(?<!\\)/", body)
    pattern = body[: split.start()] if split else body
    replacement = body[split.end() :] if split else ""
    pattern = pattern.replace("\\/", "/")
    if not pattern:
        return value
    regex = re.compile(fnmatch.translate(pattern), re.DOTALL)
    out: list[str] = []
    i = 0
    while i < len(value):
        end = next((e for e in range(len(value), i, -1) if regex.match(value[i:e])), None)
        if end is None:
            out.append(value[i])
            i += 1
            continue
        out.append(replacement)
        i = end
        if not every:
            out.append(value[i:])
            return "".join(out)
    return "".join(out)


class HeredocDelimiter(NamedTuple):
    name: str
    chomp: bool
    expand: bool
    fd: int


def raw_line_words(line: str) -> list[str]:
    """The words of an instruction line with quotes and escapes kept (BuildKit's heredoc
    scan: ``\\`` as escape whatever the directive says); none if quotes are open."""
    try:
        return [w.value for w in _lex(line, _RAW_LINE) if w.value]
    except ShellWordError:
        return []


def heredoc_delimiter(word: str) -> HeredocDelimiter | None:
    """The heredoc that ``word`` opens, if it is one (BuildKit's ParseHeredoc)."""
    match = _HEREDOC_WORD.match(word)
    if match is None or not match.group(3):
        return None
    digits, dash, rest = match.groups()
    # Go's ParseUint saturates on overflow, and BuildKit ignores the error
    fd = min(int(digits), _MAX_FD) if digits else 0
    words = [w.value for w in _lex(rest, _Mode()) if w.value]
    if len(words) != 1:
        return None
    raw_words = [w.value for w in _lex(rest, _Mode(raw_quotes=True)) if w.value]
    name = words[0]
    quotes = name.count("'") + name.count('"')
    raw_quotes = raw_words[0].count("'") + raw_words[0].count('"')
    return HeredocDelimiter(name, dash == "-", quotes == raw_quotes, fd)


_RAW_LINE = _Mode(raw_quotes=True, raw_escapes=True)

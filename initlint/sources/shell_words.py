"""Shell-like word splitting and variable expansion, as Docker applies them to instructions.

Docker never runs a shell for these: it splits words on unquoted white space, removes quotes,
honours the escape character, and expands ``$VAR``/``${VAR}`` with the ``:-``, ``-``, ``:+``
and ``+`` modifiers. Offsets are kept so every word maps back to the source.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# What may follow a bare ``$``: a name, digits, or one special parameter (BuildKit's rules).
_PARAMETER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!0-]")


@dataclass(frozen=True)
class Word:
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


def split_words(text: str, escape: str = "\\", env: Mapping[str, str] | None = None) -> list[Word]:
    """Split ``text`` into words; expand variables from ``env`` unless it is None."""
    words: list[Word] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        value: list[str] = []
        i, quoted = _read_word(text, i, escape, env, value, split=True)
        words.append(Word("".join(value), start, i, quoted))
    return words


def process_word(text: str, env: Mapping[str, str], escape: str = "\\") -> str:
    """Expand variables and remove quotes, keeping white space (Docker's ProcessWord).

    What Docker does to the value of USER, STOPSIGNAL, WORKDIR and a legacy ``ENV KEY value``.
    """
    value: list[str] = []
    _read_word(text, 0, escape, env, value, split=False)
    return "".join(value)


def _read_word(
    text: str,
    i: int,
    escape: str,
    env: Mapping[str, str] | None,
    value: list[str],
    split: bool,
) -> tuple[int, bool]:
    """Read one word (or, with ``split`` False, all of ``text``) into ``value``."""
    n = len(text)
    quoted = False
    while i < n and not (split and text[i].isspace()):
        ch = text[i]
        if ch == escape and i + 1 < n:
            value.append(text[i + 1])
            i += 2
        elif ch == escape:
            i += 1  # an escape character at the very end is dropped
        elif ch == "'":
            close = text.find("'", i + 1)
            if close < 0:
                raise ShellWordError(f"unterminated single quote at offset {i}")
            value.append(text[i + 1 : close])
            quoted = True
            i = close + 1
        elif ch == '"':
            i = _double_quoted(text, i + 1, escape, env, value)
            quoted = True
        elif ch == "$" and env is not None:
            i = _expand_at(text, i, escape, env, value)
        else:
            value.append(ch)
            i += 1
    return i, quoted


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


def _double_quoted(
    text: str, i: int, escape: str, env: Mapping[str, str] | None, out: list[str]
) -> int:
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            return i + 1
        if ch == escape and i + 1 < n and text[i + 1] in ('"', escape, "$"):
            out.append(text[i + 1])
            i += 2
        elif ch == "$" and env is not None:
            i = _expand_at(text, i, escape, env, out)
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

"""Reading an instruction's arguments the way BuildKit's parser does: builder flags, the
JSON (exec) form, and the ``KEY=value`` words of ENV and LABEL."""

from __future__ import annotations

import json
import math
import re
from typing import NamedTuple

from initlint.errors import InputError
from initlint.model import Located
from initlint.sources.buildkit_words import GO_SPACE, name_value_words
from initlint.sources.logical_line import LogicalLine


def skip_space(text: str, i: int, end: int) -> int:
    """The first offset from ``i`` (before ``end``) that is not Go white space."""
    while i < end and text[i] in GO_SPACE:
        i += 1
    return i


NON_STRING_JSON = "when using JSON array syntax, arrays must be comprised of strings only"


def builder_flags(line: LogicalLine, start: int, end: int) -> tuple[tuple[Located, ...], int]:
    """BuildKit's extractBuilderFlags: leading ``--name[=value]`` words; ``--`` ends them.

    Returns the flags and the offset where the arguments start. Quotes inside a flag word
    are removed (a quoted value may hold spaces) and ``\\`` escapes the next character.
    """
    text = line.text
    flags: list[Located] = []
    i = start
    while True:
        i = skip_space(text, i, end)
        if i >= end or not text.startswith("--", i) or i + 1 >= end:
            return tuple(flags), i
        word_start = i
        value: list[str] = []
        quote = ""
        while i < end:
            ch = text[i]
            if quote:
                if ch == quote:
                    quote = ""
                elif ch == "\\":
                    if i + 1 == end:
                        i += 1
                        break
                    i += 1
                    value.append(text[i])
                else:
                    value.append(ch)
            elif ch in GO_SPACE:
                break
            elif ch in "'\"":
                quote = ch
            elif ch == "\\":
                if i + 1 < end:
                    i += 1
                    value.append(text[i])
            else:
                value.append(ch)
            i += 1
        word = "".join(value)
        if word == "--":
            return tuple(flags), i
        flags.append(Located(word[2:], line.span(word_start, i)))


def _finite_number(text: str) -> float:
    # Go's encoding/json fails on numbers a float64 cannot hold: BuildKit then takes the
    # whole text as shell form, where Python would read inf.
    number = float(text)
    if math.isinf(number):
        raise ValueError(f"number out of range: {text}")
    return number


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")  # Go's JSON has no NaN or Infinity


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class JsonArray(NamedTuple):
    words: tuple[Located, ...] | None
    problem: str | None
    ignored: Located | None = None  # text after the closing bracket


def parse_json_array(line: LogicalLine, args_start: int, args: str) -> JsonArray:
    """Exec form when ``args`` starts with a JSON array of strings; a problem text otherwise.

    Like BuildKit (Go's json.Decoder), only the first JSON value is read: text after the
    closing bracket is ignored. A JSON array of anything but strings is fatal
    (NON_STRING_JSON); any other problem means BuildKit silently takes the text as shell form.
    """
    if not args.startswith("["):
        return JsonArray(None, None)
    decoder = json.JSONDecoder(
        parse_float=_finite_number, parse_int=_finite_number, parse_constant=_no_constant
    )
    try:
        values, json_end = decoder.raw_decode(args)
    except RecursionError:  # Go's decoder stops at depth 10000 too: BuildKit takes shell form
        return JsonArray(None, "not valid JSON (nested too deeply)")
    except ValueError as error:
        reason = str(error.args[0]).split(":")[0] if error.args else "invalid"
        return JsonArray(None, f"not valid JSON ({reason})")
    if not isinstance(values, list):
        return JsonArray(None, "not a JSON array")
    if not all(isinstance(value, str) for value in values):
        return JsonArray(None, NON_STRING_JSON)
    words: list[Located] = []
    i = 1
    for value in values:
        i = args.index('"', i)
        _, end = json.decoder.scanstring(args, i + 1)  # type: ignore[attr-defined]
        # Go replaces a lone UTF-16 surrogate escape with U+FFFD
        text = _LONE_SURROGATE.sub("\ufffd", value)
        words.append(Located(text, line.span(args_start + i, args_start + end)))
        i = end
    ignored_start = skip_space(args, json_end, len(args))
    ignored = None
    if ignored_start < len(args):
        ignored = Located(
            args[ignored_start:], line.span(args_start + ignored_start, args_start + len(args))
        )
    return JsonArray(tuple(words), None, ignored)


def check_name_values(keyword: str, args: str, escape: str, path: str, number: int) -> None:
    """ENV and LABEL: ``KEY value`` (legacy) or ``KEY=value ...``, as BuildKit accepts them."""
    words = name_value_words(args, escape)
    if not words:
        return
    if "=" not in words[0]:
        if len(re.split(r"[\t\v\f\r ]+", args, maxsplit=1)) < 2:
            raise InputError(path, f"{keyword} must have two arguments", number)
        return
    for word in words:
        if "=" not in word:
            raise InputError(
                path,
                f'Syntax error - can\'t find = in "{word}". Must be of the form: name=value',
                number,
            )

"""Splitting a compose ``command``/``entrypoint`` string into words, as compose does.

Compose splits the string like a shell would (quotes, backslashes) but never runs a shell: no
variables, globs or operators (``&&`` is passed on as a word). Each word remembers where its
characters were in the string, so a fixer can insert text into it.
"""

from __future__ import annotations

from typing import NamedTuple


class CommandWordsError(ValueError):
    pass


class SplitWord(NamedTuple):
    value: str
    start: int  # index in the string of the word's first raw character
    end: int  # index just after its last raw character
    # index in the string of value[0] when the whole word is one quoted region with nothing
    # escaped inside (value[k] is then at quoted_start + k); None otherwise
    quoted_start: int | None = None
    quote: str = ""  # the quote character of that region


def split_command(text: str) -> list[SplitWord]:
    words: list[SplitWord] = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t\r\n":
            i += 1
        if i >= n:
            break
        start = i
        value: list[str] = []
        regions: list[tuple[str, int, bool]] = []  # quote, first char index, escaped inside
        unquoted = False
        while i < n and text[i] not in " \t\r\n":
            char = text[i]
            if char == "'":
                end = text.find("'", i + 1)
                if end < 0:
                    raise CommandWordsError(f"unterminated single quote at character {i + 1}")
                value.append(text[i + 1 : end])
                regions.append(("'", i + 1, False))
                i = end + 1
            elif char == '"':
                j = i + 1
                part: list[str] = []
                escaped = False
                while j < n and text[j] != '"':
                    if text[j] == "\\" and j + 1 < n:
                        part.append(text[j + 1])
                        escaped = True
                        j += 2
                        continue
                    part.append(text[j])
                    j += 1
                if j >= n:
                    raise CommandWordsError(f"unterminated double quote at character {i + 1}")
                value.append("".join(part))
                regions.append(('"', i + 1, escaped))
                i = j + 1
            elif char == "\\" and i + 1 < n:
                value.append(text[i + 1])
                unquoted = True
                i += 2
            else:
                value.append(char)
                unquoted = True
                i += 1
        quoted_start: int | None = None
        quote = ""
        if not unquoted and len(regions) == 1 and not regions[0][2]:
            quote, quoted_start = regions[0][0], regions[0][1]
        words.append(SplitWord("".join(value), start, i, quoted_start, quote))
    return words

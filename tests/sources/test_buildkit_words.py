"""BuildKit's word lexer: splitting, unquoting and variable substitution (no shell runs)."""

from __future__ import annotations

import pytest

from initlint.sources.buildkit_words import (
    ShellWordError,
    expand,
    process_word,
    split_words,
)

ENV = {"NAME": "world", "EMPTY": "", "PATH_VAR": "/usr/local/lib/python3.12/site.py"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$NAME", "world"),
        ("${NAME}", "world"),
        ("pre-${NAME}-post", "pre-world-post"),
        ("$UNSET", ""),
        ("${UNSET:-fallback}", "fallback"),
        ("${EMPTY:-fallback}", "fallback"),
        ("${EMPTY-fallback}", ""),
        ("${UNSET-fallback}", "fallback"),
        ("${NAME:+set}", "set"),
        ("${EMPTY:+set}", ""),
        ("${EMPTY+set}", "set"),
        ("${UNSET:-$NAME}", "world"),
        ("${PATH_VAR#*/}", "usr/local/lib/python3.12/site.py"),
        ("${PATH_VAR##*/}", "site.py"),
        ("${PATH_VAR%/*}", "/usr/local/lib/python3.12"),
        ("${PATH_VAR%%/lib*}", "/usr/local"),
        ("${NAME/o/0}", "w0rld"),
        ("${PATH_VAR//\\//:}", ":usr:local:lib:python3.12:site.py"),
        ("$1$@$$", ""),
        ("cost: 5$", "cost: 5$"),
        ("$ alone", "$ alone"),
    ],
)
def test_expand(text: str, expected: str) -> None:
    assert expand(text, ENV) == expected


def test_escaped_dollar_is_literal() -> None:
    assert expand("\\$NAME", ENV) == "$NAME"
    assert expand("`$NAME", ENV, escape="`") == "$NAME"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("${UNSET?must be set}", "UNSET: must be set"),
        ("${EMPTY:?}", "EMPTY: is not allowed to be unset"),
        ("${NAME", "missing '}'"),
        ("${}", "bad substitution"),
        ("${NAME^^}", "unsupported modifier"),
    ],
)
def test_expand_errors(text: str, message: str) -> None:
    with pytest.raises(ShellWordError, match=message.replace("$", r"\$")):
        expand(text, ENV)


def test_split_words_quotes_and_offsets() -> None:
    words = split_words("a 'b c' \"d $NAME\" e\\ f", env=ENV)
    assert [w.value for w in words] == ["a", "b c", "d world", "e f"]
    assert [(w.start, w.end) for w in words] == [(0, 1), (2, 7), (8, 17), (18, 22)]
    assert [w.quoted for w in words] == [False, True, True, False]


def test_split_words_without_env_keeps_variables() -> None:
    assert [w.value for w in split_words("$A ${B}")] == ["$A", "${B}"]


def test_single_quotes_never_expand() -> None:
    assert [w.value for w in split_words("'$NAME'", env=ENV)] == ["$NAME"]


def test_double_quotes_escape_only_quote_dollar_and_escape() -> None:
    assert [w.value for w in split_words('"a\\"b\\$c\\\\d\\e"', env=ENV)] == ['a"b$c\\d\\e']


def test_backtick_escape() -> None:
    words = split_words("C:\\path `$NAME a` b", escape="`", env=ENV)
    assert [w.value for w in words] == ["C:\\path", "$NAME", "a b"]


def test_unterminated_quotes_are_errors() -> None:
    with pytest.raises(ShellWordError):
        split_words("'open")
    with pytest.raises(ShellWordError):
        split_words('"open')


def test_process_word_keeps_white_space_and_removes_quotes() -> None:
    assert process_word("\"$NAME\"  x  '$y'", ENV) == "world  x  $y"
    assert process_word("1000:${GID:-1000}", ENV) == "1000:1000"
    assert process_word("trailing\\", ENV) == "trailing"

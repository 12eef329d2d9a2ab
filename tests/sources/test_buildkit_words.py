"""BuildKit's word lexer: splitting, unquoting and variable substitution (no shell runs)."""

from __future__ import annotations

import pytest

from initlint.sources.buildkit_words import (
    ShellWordError,
    argument_words,
    expand,
    heredoc_delimiter,
    process_word,
    process_words,
    raw_line_words,
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


# Where Python's str.isspace and BuildKit disagree: \x1c-\x1f are white space to Python only;
# NEL and no-break space are white space to BuildKit's shell lexer but not to its parser.
PYTHON_ONLY_SPACE = ("\x1c", "\x1d", "\x1e", "\x1f")
LEXER_ONLY_SPACE = ("\x85", "\xa0", "\u2000", "\u3000")


@pytest.mark.parametrize("separator", PYTHON_ONLY_SPACE)
def test_python_only_white_space_never_splits(separator: str) -> None:
    text = f"a{separator}b /d"
    assert [w.value for w in argument_words(text)] == [f"a{separator}b", "/d"]
    assert [w.value for w in split_words(text)] == [f"a{separator}b", "/d"]
    assert process_words(text) == [f"a{separator}b", "/d"]
    assert raw_line_words(f"cat <<A{separator}B") == ["cat", f"<<A{separator}B"]


@pytest.mark.parametrize("separator", LEXER_ONLY_SPACE)
def test_the_lexer_splits_on_go_space_the_parser_does_not(separator: str) -> None:
    text = f"a{separator}b /d"
    assert [w.value for w in argument_words(text)] == [f"a{separator}b", "/d"]
    assert [w.value for w in split_words(text)] == ["a", "b", "/d"]
    assert raw_line_words(f"cat <<A{separator}B") == ["cat", "<<A", "B"]


def test_argument_words_split_whatever_the_quotes_then_unquote_each_piece() -> None:
    words = argument_words("'a'b \"$NAME\"/x c\\d", env=ENV)
    assert [w.value for w in words] == ["ab", "world/x", "cd"]
    assert [(w.start, w.end) for w in words] == [(0, 4), (5, 14), (15, 18)]
    # BuildKit's parser cuts "a b" in two: each half is an open quote
    with pytest.raises(ShellWordError, match="unterminated double quote"):
        argument_words('"a b" /d')
    assert [w.value for w in argument_words("a\\ b /d")] == ["a", "b", "/d"]


def test_the_stage_escape_character_applies_to_every_splitting() -> None:
    assert [w.value for w in argument_words("C:\\app `$X", escape="`")] == ["C:\\app", "$X"]
    assert process_words("a` b c", escape="`") == ["a b", "c"]


def test_process_words_drops_empty_words_split_words_keeps_them() -> None:
    assert process_words("'' x \"\"") == ["x"]
    assert [w.value for w in split_words("'' x")] == ["", "x"]


def test_heredoc_scan_keeps_quotes_and_escapes() -> None:
    assert raw_line_words("cat <<'EOF' \"a b\" c\\ d") == ["cat", "<<'EOF'", '"a b"', "c\\ d"]
    assert raw_line_words("echo 'open") == []
    delimiter = heredoc_delimiter("<<-'EOF'")
    assert delimiter is not None
    assert (delimiter.name, delimiter.chomp, delimiter.expand) == ("EOF", True, False)
    assert heredoc_delimiter("<<''") is None
    assert heredoc_delimiter("3<<${X}") is not None

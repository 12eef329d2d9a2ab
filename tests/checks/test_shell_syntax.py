from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from initlint.pid1.shell_syntax import SimpleCommand, parse_script, plain_words


def last_command(text: str) -> SimpleCommand:
    script = parse_script(text)
    assert script is not None
    command = script.items[-1].pipelines[-1].commands[-1]
    assert isinstance(command, SimpleCommand)
    return command


@pytest.mark.parametrize(
    ("text", "exec_at"),
    [
        ("python3 app.py", 0),
        ("cd /app && python3 app.py", 11),
        ("a; V=1 B=2 prog --x", 11),
        ("echo $(date '+%s; x'); prog", 23),
        ('echo "a;b" && prog', 14),
        ("for i in 1 2; do echo $i; done; prog", 32),
        ("f() { a; }; prog", 12),
        ("case $x in a) b;; esac; prog", 24),
        ("2>&1 prog", 0),
        ("a \\\n && prog", 8),
    ],
)
def test_offset_of_the_last_command(text: str, exec_at: int) -> None:
    command = last_command(text)
    assert command.command_offset == exec_at
    assert text[exec_at:].startswith(("prog", "python3", "2>&1"))


def test_words_have_quotes_removed_and_expansions_marked() -> None:
    command = last_command("""prog 'a b' "c $HOME" d\\ e""")
    assert [w.value for w in command.words] == ["prog", "a b", "c $HOME", "d e"]
    assert [w.expands for w in command.words] == [False, False, True, False]
    assert command.words[3].special  # a backslash needs a shell


def test_structure() -> None:
    script = parse_script("a && b || c; d | e & f\ng")
    assert script is not None
    assert [len(item.pipelines) for item in script.items] == [3, 1, 1, 1]
    assert [item.separator for item in script.items] == [";", "&", "\n", None]
    assert script.items[0].connectors == ("&&", "||")
    assert len(script.items[1].pipelines[0].commands) == 2


@pytest.mark.parametrize(
    "text",
    [
        "cat <<EOF\nx\nEOF",
        "echo 'open",
        'echo "open',
        "(( i++ ))",
        "a ;; b",
        "if true; then a",
        "echo $'x'",
        "a &&",
        "| a",
    ],
)
def test_what_it_does_not_follow_gives_none(text: str) -> None:
    assert parse_script(text) is None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("python3 app.py", ("python3", "app.py")),
        ("nginx -g 'daemon off;'", ("nginx", "-g", "daemon off;")),
        ('python3 -c "print(1)"', ("python3", "-c", "print(1)")),
        ("java -Xmx1g -jar /app.jar", ("java", "-Xmx1g", "-jar", "/app.jar")),
        ("server --bind=0.0.0.0:80", ("server", "--bind=0.0.0.0:80")),
    ],
)
def test_plain_words(text: str, words: tuple[str, ...]) -> None:
    assert plain_words(text) == words


@pytest.mark.parametrize(
    "text",
    [
        "a $B",
        "a `b`",
        "a && b",
        "a; b",
        "a | b",
        "a > f",
        "a *",
        "a ~/x",
        "V=1 a",
        "a # c",
        "a &",
        "{ a; }",
        "if a; then b; fi",
        "a {b,c}",
        'a "$B"',
        "a\nb",
        "! a",
        "a\\ b",
        "",
    ],
)
def test_not_plain(text: str) -> None:
    assert plain_words(text) is None


@given(st.text(alphabet=st.sampled_from(list("ab $'\"`\\;&|()<>#{}\n=*!12")), max_size=40))
def test_never_raises(text: str) -> None:
    script = parse_script(text)
    if script is not None:
        for command in script.simple_commands:
            assert 0 <= command.command_offset <= len(text)
    plain_words(text)


@pytest.mark.parametrize(
    ("text", "exec_at", "redirects"),
    [
        # the grammar hangs these redirections around the pipeline or list; bash gives them
        # to the last command
        ("pg_dump db | gzip > /b.gz", 13, (">",)),
        ("a && b > f 2>&1", 5, (">", ">&")),
        # `[` is the test builtin, a simple command; bash reads a glued `[[`/`{` as a word
        ("[ -d /x ] && prog", 13, ()),
        ("[[[]]] x", 0, ()),
        ("{a,b} x", 0, ()),
    ],
)
def test_where_the_grammar_and_bash_disagree(
    text: str, exec_at: int, redirects: tuple[str, ...]
) -> None:
    command = last_command(text)
    assert command.command_offset == exec_at
    assert command.redirects == redirects


def test_a_test_bracket_is_a_simple_command() -> None:
    script = parse_script("[ -d /x ] && prog")
    assert script is not None
    first = script.items[0].pipelines[0].commands[0]
    assert isinstance(first, SimpleCommand)
    assert [w.value for w in first.words] == ["[", "-d", "/x", "]"]


@pytest.mark.parametrize("text", ["--port=80", "$ alone", "a ``x"])
def test_what_the_grammar_misreads_gives_none(text: str) -> None:
    assert parse_script(text) is None

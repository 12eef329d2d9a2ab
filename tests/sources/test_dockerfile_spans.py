"""Exact spans: 1-based lines and columns, end column exclusive, through continuations,
comment lines, CRLF, BOM, tabs and heredocs."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, reject, settings

from initlint.errors import InputError
from initlint.model import Span
from initlint.sources.dockerfile_syntax import Instruction, parse_dockerfile
from tests.sources.dockerfile_strategies import dockerfiles


def source_text(text: str, span: Span) -> str:
    """The text a span covers, as an editor would select it (BOM and CR not counted)."""
    lines = text.lstrip("\ufeff").split("\n")
    lines = [line.rstrip("\r") for line in lines]
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1 : span.end_column - 1]
    parts = [lines[span.line - 1][span.column - 1 :]]
    parts.extend(lines[span.line : span.end_line - 1])
    parts.append(lines[span.end_line - 1][: span.end_column - 1])
    return "\n".join(parts)


def instructions(text: str) -> list[Instruction]:
    return list(parse_dockerfile(text, "Dockerfile").instructions)


def where(span: Span) -> tuple[int, int, int, int]:
    return (span.line, span.column, span.end_line, span.end_column)


MULTI = (
    "FROM python:3.12 AS base\n"  # 1
    "RUN --mount=type=cache,target=/root/.cache \\\n"  # 2
    "    --network=none pip install flask\n"  # 3
    'CMD [ "python3", \\\n'  # 4
    "# a comment line inside the continuation\n"  # 5
    "\n"  # 6
    '      "-m",  "app" ]\n'  # 7
    'ENTRYPOINT echo "hi" && \\\n'  # 8
    "   exec app\n"  # 9
)


def test_keyword_spans() -> None:
    found = instructions(MULTI)
    assert [i.keyword for i in found] == ["FROM", "RUN", "CMD", "ENTRYPOINT"]
    assert [where(i.keyword_span) for i in found] == [
        (1, 1, 1, 5),
        (2, 1, 2, 4),
        (4, 1, 4, 4),
        (8, 1, 8, 11),
    ]


def test_instruction_spans_cover_continuations() -> None:
    found = instructions(MULTI)
    assert [where(i.span) for i in found] == [
        (1, 1, 1, 25),
        (2, 1, 3, 37),
        (4, 1, 7, 21),
        (8, 1, 9, 12),
    ]


def test_flag_spans_and_values() -> None:
    run = instructions(MULTI)[1]
    assert [f.value for f in run.flags] == ["mount=type=cache,target=/root/.cache", "network=none"]
    assert where(run.flags[0].span) == (2, 5, 2, 43)
    assert where(run.flags[1].span) == (3, 5, 3, 19)
    assert [source_text(MULTI, f.span) for f in run.flags] == [
        "--mount=type=cache,target=/root/.cache",
        "--network=none",
    ]
    assert run.args == "pip install flask"
    assert where(run.args_span()) == (3, 20, 3, 37)


def test_quoted_flag_value_keeps_its_raw_span() -> None:
    text = 'FROM a\nRUN --mount="type=secret, id=t" cat /run/secrets/t\n'
    run = instructions(text)[1]
    assert run.flags[0].value == "mount=type=secret, id=t"
    assert source_text(text, run.flags[0].span) == '--mount="type=secret, id=t"'
    assert run.args == "cat /run/secrets/t"


def test_every_json_element_has_its_span() -> None:
    cmd = instructions(MULTI)[2]
    assert cmd.json_words is not None
    assert [w.value for w in cmd.json_words] == ["python3", "-m", "app"]
    assert [where(w.span) for w in cmd.json_words] == [(4, 7, 4, 16), (7, 7, 7, 11), (7, 14, 7, 19)]
    assert [source_text(MULTI, w.span) for w in cmd.json_words] == ['"python3"', '"-m"', '"app"']


def test_json_element_with_escapes_spans_its_source_text() -> None:
    text = 'FROM a\nCMD ["caf\\u00e9", "say \\"hi\\"", "a\\\\b"]\n'
    cmd = instructions(text)[1]
    assert cmd.json_words is not None
    assert [w.value for w in cmd.json_words] == ["café", 'say "hi"', "a\\b"]
    assert [source_text(text, w.span) for w in cmd.json_words] == [
        '"caf\\u00e9"',
        '"say \\"hi\\""',
        '"a\\\\b"',
    ]


def test_shell_form_script_span_through_continuation() -> None:
    entrypoint = instructions(MULTI)[3]
    assert entrypoint.json_words is None
    # the logical line joins the pieces without the escape character and newline
    assert entrypoint.args == 'echo "hi" &&    exec app'
    assert where(entrypoint.args_span()) == (8, 12, 9, 12)
    assert source_text(MULTI, entrypoint.args_span()) == 'echo "hi" && \\\n   exec app'
    # a piece of the script maps back to its exact place
    start = entrypoint.args.index("exec")
    assert where(entrypoint.args_span(start, start + 4)) == (9, 4, 9, 8)


def test_keyword_on_its_own_line_and_arguments_below() -> None:
    text = 'FROM a\nCMD \\\n  ["echo", "x"]\n'
    cmd = instructions(text)[1]
    assert where(cmd.keyword_span) == (2, 1, 2, 4)
    assert cmd.json_words is not None
    assert where(cmd.json_words[0].span) == (3, 4, 3, 10)
    assert where(cmd.span) == (2, 1, 3, 16)


def test_leading_white_space_and_tabs_count_as_one_column_each() -> None:
    text = 'FROM a\n\t  CMD\t["x"]\n'
    cmd = instructions(text)[1]
    assert where(cmd.keyword_span) == (2, 4, 2, 7)
    assert cmd.json_words is not None
    assert where(cmd.json_words[0].span) == (2, 9, 2, 12)
    assert cmd.span.column == 4


def test_crlf_does_not_shift_columns_or_end() -> None:
    text = "FROM a\r\nCMD echo \\\r\n  done\r\n"
    cmd = instructions(text)[1]
    assert where(cmd.span) == (2, 1, 3, 7)
    assert cmd.args == "echo   done"
    assert source_text(text, cmd.args_span()) == "echo \\\n  done"


def test_bom_is_not_a_column() -> None:
    text = '\ufeffFROM a\nCMD ["x"]\n'
    found = instructions(text)
    assert where(found[0].keyword_span) == (1, 1, 1, 5)


def test_backtick_escape_continuation_spans() -> None:
    text = "# escape=`\nFROM a\nRUN dir c:\\ `\n    && echo done\n"
    run = instructions(text)[1]
    assert run.args == "dir c:\\     && echo done"
    assert where(run.span) == (3, 1, 4, 17)


def test_heredoc_spans_and_instruction_end() -> None:
    text = (
        "FROM a\n"
        "RUN <<EOF <<-'TWO'\n"
        "echo one\n"
        'CMD ["not", "real"]\n'
        "EOF\n"
        "\techo two\n"
        "\tTWO\n"
        'CMD ["real"]\n'
    )
    found = instructions(text)
    assert [i.keyword for i in found] == ["FROM", "RUN", "CMD"]
    run = found[1]
    assert [(h.name, h.chomp, h.expand) for h in run.heredocs] == [
        ("EOF", False, True),
        ("TWO", True, False),
    ]
    assert run.heredocs[0].body == 'echo one\nCMD ["not", "real"]\n'
    assert where(run.heredocs[0].span) == (3, 1, 5, 4)
    assert where(run.heredocs[1].span) == (6, 1, 7, 5)
    assert where(run.span) == (2, 1, 7, 5)
    assert found[2].span.line == 8


def test_comment_lines_are_recorded_with_spans() -> None:
    syntax = parse_dockerfile(MULTI + "  # trailing comment\n", "Dockerfile")
    assert [(c.value, where(c.span)) for c in syntax.comments] == [
        ("# a comment line inside the continuation", (5, 1, 5, 41)),
        ("# trailing comment", (10, 3, 10, 21)),
    ]


def test_lone_escape_line_starts_the_instruction() -> None:
    text = "FROM a\n\\\nRUN echo x\n"
    run = instructions(text)[1]
    assert run.keyword == "RUN"
    assert run.span.line == 2
    assert where(run.keyword_span) == (3, 1, 3, 4)


def test_onbuild_trigger_spans_point_into_the_line() -> None:
    text = 'FROM a\nONBUILD  RUN ["make", "all"]\n'
    onbuild = instructions(text)[1]
    assert onbuild.trigger is not None
    assert onbuild.trigger.keyword == "RUN"
    assert where(onbuild.trigger.keyword_span) == (2, 10, 2, 13)
    assert onbuild.trigger.json_words is not None
    assert [source_text(text, w.span) for w in onbuild.trigger.json_words] == ['"make"', '"all"']
    assert onbuild.json_words is None  # the ONBUILD itself is never an exec-form command


def test_json_trailing_text_is_reported_and_dropped() -> None:
    text = 'FROM a\nCMD ["echo"] extra words\n'
    cmd = instructions(text)[1]
    assert cmd.json_words is not None and [w.value for w in cmd.json_words] == ["echo"]
    assert cmd.json_ignored is not None
    assert cmd.json_ignored.value == "extra words"
    assert where(cmd.json_ignored.span) == (2, 14, 2, 25)


@pytest.mark.parametrize(
    "args",
    ['["python", "app.py",]', "['python', 'app.py']", "[python, app.py]", '["a", NaN]', '["a"'],
)
def test_invalid_json_is_shell_form_with_a_reason(args: str) -> None:
    cmd = instructions(f"FROM a\nCMD {args}\n")[1]
    assert cmd.json_words is None
    assert cmd.json_problem is not None
    assert cmd.args == args


CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "dockerfiles"
CORPUS_FILES = sorted(
    p for p in CORPUS.rglob("*.Dockerfile") if "bad" not in p.relative_to(CORPUS).parts
)


def assert_every_character_maps_back(text: str) -> None:
    """Each character of each logical line sits exactly where its position says."""
    lines = [line.rstrip("\r") for line in text.lstrip("\ufeff").split("\n")]
    for instruction in parse_dockerfile(text, "Dockerfile").instructions:
        logical = instruction.line
        for offset, char in enumerate(logical.text):
            position = logical.position(offset)
            assert lines[position.line - 1][position.column - 1] == char
        assert source_text(text, instruction.keyword_span).upper() == instruction.keyword
        for word in instruction.json_words or ():
            assert json.loads(source_text(text, word.span).replace("\n", "")) == word.value


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_corpus_positions_map_back_to_the_source(path: Path) -> None:
    assert_every_character_maps_back(path.read_bytes().decode())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dockerfiles())
def test_generated_positions_map_back_to_the_source(text: str) -> None:
    try:
        parse_dockerfile(text, "Dockerfile")
    except InputError:
        reject()  # the drawing made something Docker refuses (an escape directive ignored)
    assert_every_character_maps_back(text)


def test_a_one_megabyte_file_lexes_quickly() -> None:
    text = (
        "FROM a\nRUN true \\\n"
        + "    && echo "
        + "x" * 80
        + " \\\n" * 1
        + ("    && echo " + "y" * 80 + " \\\n") * 11000
        + "    && true\n"
    )
    assert len(text) > 1_000_000
    started = time.process_time()
    syntax = parse_dockerfile(text, "Dockerfile")
    assert time.process_time() - started < 5  # about 0.5 s here; per-character objects took 9 s
    assert syntax.instructions[1].span.end_line == 11004

"""The word lexer against BuildKit's own parser (the ``dockerfile`` package): the white space
it splits on, for FROM/COPY arguments, ENV words and heredoc delimiters."""

from __future__ import annotations

from pathlib import Path

import dockerfile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from initlint.errors import InputError
from initlint.evidence.context import build_context
from initlint.sources.buildkit_words import argument_words
from initlint.sources.dockerfile import build_model
from initlint.sources.dockerfile_syntax import parse_dockerfile
from tests.sources.buildkit_oracle import buildkit, ours

# Every separator candidate: what BuildKit's parser splits on, what only its shell lexer
# (Go's unicode.IsSpace) splits on, and what only Python's str.isspace would split on.
SEPARATORS = ("\t", "\v", "\f", " ", "\x85", "\xa0", "\u2000", "\u3000", *"\x1c\x1d\x1e\x1f")
_PLAIN = st.sampled_from(["a", "b", "/", ".", "-", *SEPARATORS])


def _model_or_error(text: str) -> tuple[dict[str, str] | None, str | None]:
    try:
        model = build_model(parse_dockerfile(text, "Dockerfile"))
    except InputError as error:
        return None, str(error)
    return dict(model.stages[-1].env), model.stages[-1].base_reference


@settings(max_examples=150, deadline=None)
@given(st.lists(_PLAIN, min_size=1, max_size=12).map("".join))
def test_copy_arguments_split_where_buildkit_splits(middle: str) -> None:
    text = f"FROM scratch\nCOPY a{middle}b /d\n"
    expected = dockerfile.parse_string(text)[1].value
    instruction = parse_dockerfile(text, "Dockerfile").instructions[1]
    assert tuple(w.value for w in argument_words(instruction.args)) == expected


@pytest.mark.parametrize("separator", SEPARATORS, ids=repr)
def test_from_words_are_buildkit_s(separator: str) -> None:
    text = f"FROM base{separator}image AS app\n"
    words = dockerfile.parse_string(text)[0].value
    env, reference = _model_or_error(text)
    if len(words) == 3:
        assert env is not None, reference
        assert reference == words[0]
    else:
        assert env is None and reference is not None
        assert "FROM requires either one or three arguments" in reference


@pytest.mark.parametrize("separator", SEPARATORS, ids=repr)
def test_env_words_are_buildkit_s(separator: str) -> None:
    text = f"FROM scratch\nENV A=x{separator}y B=z\n"
    try:
        value = dockerfile.parse_string(text)[1].value
    except dockerfile.GoParseError:
        value = None
    env, error = _model_or_error(text)
    if value is None:
        assert env is None and error is not None
    else:
        assert env == dict(zip(value[::2], value[1::2], strict=True))


@pytest.mark.parametrize("separator", SEPARATORS, ids=repr)
@pytest.mark.parametrize("closing", ["A{s}B", "A"])
def test_heredoc_delimiters_are_buildkit_s(separator: str, closing: str) -> None:
    end = closing.format(s=separator)
    text = f"FROM scratch\nRUN cat <<A{separator}B\nbody\n{end}\n"
    expected, actual = buildkit(text), ours(text)
    assert (actual.error is None) == (expected.error is None), (actual, expected)
    assert actual.records == expected.records


@pytest.mark.parametrize("separator", ["\x1c", "\x1f"], ids=repr)
def test_a_copied_file_named_with_a_control_character_is_one_source(
    tmp_path: Path, separator: str
) -> None:
    name = f"run{separator}me.sh"
    (tmp_path / name).write_text("#!/bin/sh\nexec sleep 1\n")
    text = f"FROM scratch\nCOPY {name} /app/\n"
    assert dockerfile.parse_string(text)[1].value == (name, "/app/")
    model = build_model(parse_dockerfile(text, "Dockerfile"))
    context = build_context(model, model.stages[-1], tmp_path)
    assert [copy.sources for copy in context.copies] == [(str(tmp_path / name),)]

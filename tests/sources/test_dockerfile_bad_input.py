"""Dockerfiles Docker would refuse raise InputError naming the file and the right line."""

from __future__ import annotations

from pathlib import Path

import pytest

from initlint.errors import InputError
from initlint.sources.dockerfile import load_dockerfile_text
from tests.sources.buildkit_oracle import buildkit

BAD = Path(__file__).resolve().parent.parent / "fixtures" / "dockerfiles" / "bad"

# file name -> (line, words the message must contain, BuildKit's parser rejects it too)
EXPECTED: dict[str, tuple[int | None, str, bool]] = {
    "unknown-instruction.Dockerfile": (3, "unknown instruction: COPPY", False),
    "keyword-glued-to-json.Dockerfile": (2, 'unknown instruction: CMD["echo"]', False),
    "unterminated-heredoc.Dockerfile": (3, "unterminated heredoc EOF", True),
    "json-non-strings.Dockerfile": (3, "arrays must be comprised of strings only", True),
    "json-non-strings-healthcheck.Dockerfile": (2, "strings only", True),
    "json-non-strings-continued.Dockerfile": (2, "strings only", True),
    "no-from.Dockerfile": (None, "no FROM", False),
    "empty.Dockerfile": (None, "no FROM", True),
    "comments-only.Dockerfile": (None, "no FROM", True),
    "instruction-before-from.Dockerfile": (2, "RUN before the first FROM", False),
    "duplicate-escape-directive.Dockerfile": (2, "only one escape parser directive", True),
    "duplicate-syntax-directive.Dockerfile": (2, "only one syntax parser directive", True),
    "invalid-escape-directive.Dockerfile": (1, "invalid escape token", True),
    "env-missing-value.Dockerfile": (2, "ENV must have two arguments", True),
    "label-missing-equals.Dockerfile": (2, 'can\'t find = in "b"', True),
    "onbuild-onbuild.Dockerfile": (2, "ONBUILD isn't allowed as an ONBUILD trigger", False),
    "onbuild-from.Dockerfile": (2, "FROM isn't allowed as an ONBUILD trigger", False),
    "shell-not-json.Dockerfile": (2, "SHELL requires the arguments in JSON form", False),
    "from-two-words.Dockerfile": (1, "FROM requires either one or three arguments", False),
    "duplicate-stage-name.Dockerfile": (2, "duplicate stage name", False),
    "invalid-stage-name.Dockerfile": (1, "invalid name for build stage", False),
    # `# hello` ends the directives, so the backtick is no continuation and `hi` is read
    # as an instruction of its own
    "escape-disabled-backtick-continuation.Dockerfile": (5, "unknown instruction: hi", False),
}


def test_every_bad_file_has_an_expectation() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_raises_input_error_at_the_line(name: str) -> None:
    line, words, _ = EXPECTED[name]
    path = BAD / name
    with pytest.raises(InputError) as caught:
        load_dockerfile_text(path.read_bytes().decode(), str(path))
    error = caught.value
    assert error.path == str(path)
    assert error.line == line
    assert words in error.message
    where = f"{path}:{line}" if line is not None else str(path)
    assert str(error) == f"{where}: error: {error.message}"
    assert "\n" not in str(error)


@pytest.mark.parametrize("name", sorted(n for n, (_, _, parser) in EXPECTED.items() if parser))
def test_buildkit_parser_rejects_it_too(name: str) -> None:
    """Errors of the parser stage: BuildKit's own parser refuses these files as well (the
    others it accepts and only its build step refuses: unknown instructions, bad stages)."""
    assert buildkit((BAD / name).read_bytes().decode()).error is not None


def test_unknown_target() -> None:
    with pytest.raises(InputError) as caught:
        load_dockerfile_text("FROM alpine AS a\n", "Dockerfile", "b")
    assert caught.value.message == "target stage 'b' not found"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("FROM alpine\nRUN x\n\n\nFOO bar\n", 5, "unknown instruction: FOO"),
        ("FROM alpine\nRUN <<EOF\nCMD x\n", 2, "unterminated heredoc"),
        ("FROM alpine\nRUN a \\\n  b\nCMD [1]\n", 4, "strings only"),
        ('FROM alpine\nONBUILD RUN ["a", 1]\n', 2, "strings only"),
        ("FROM alpine\nUSER 'unterminated\n", 2, "unterminated single quote"),
        ("FROM alpine\nSHELL []\n", 2, "SHELL requires at least one argument"),
        ("FROM alpine\nRUN 99999999999999999999<<EOF cat\nEOF\nFOO\n", 4, "unknown instruction"),
    ],
)
def test_inline_bad_input(text: str, line: int, words: str) -> None:
    with pytest.raises(InputError) as caught:
        load_dockerfile_text(text, "Dockerfile")
    assert caught.value.line == line
    assert words in caught.value.message


@pytest.mark.parametrize("text", ["ARG BASE\nFROM $BASE\nCMD x\n", "ARG B\nFROM ${B}\nCMD x\n"])
def test_from_an_arg_without_default_is_accepted(text: str) -> None:
    """BuildKit accepts the file (``--build-arg`` gives the image): the base is unknown."""
    spec = load_dockerfile_text(text, "Dockerfile")
    assert spec.base_image in ("$BASE", "${B}")  # as written: no image is guessed
    assert spec.base_facts.has_python3 is None

"""Inline ``# initlint: ignore=`` and ``# initlint: global ignore=`` comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from initlint.pipeline import lint_text
from tests.cli.conftest import Invoke
from tests.cli.stub_rules import STUB_RULES


def reported(text: str) -> list[tuple[str, int]]:
    findings, _, failures = lint_text(text, "Dockerfile", STUB_RULES)
    assert failures == []
    return [(finding.rule_id, finding.span.line) for finding in findings]


def test_without_comments_both_rules_report() -> None:
    assert reported("FROM debian:12\nENTRYPOINT run\nCMD go\n") == [("IL101", 2), ("IL102", 3)]
    assert reported("FROM debian:12\nCMD a\nCMD b\n") == [("IL107", 2), ("IL102", 3)]


def test_ignore_on_the_line_before_the_instruction() -> None:
    text = "FROM debian:12\nCMD a\n# initlint: ignore=IL102\nCMD b\n"
    assert reported(text) == [("IL107", 2)]


def test_ignore_covers_only_the_next_instruction() -> None:
    text = "FROM debian:12\n# initlint: ignore=IL107,IL102\nCMD a\nCMD b\n"
    assert reported(text) == [("IL102", 4)]


def test_any_comment_line_of_the_block_above_counts() -> None:
    text = (
        "FROM debian:12\n"
        "# initlint: ignore=IL102 -- the shell expands $PORT here on purpose\n"
        "# the app reads PORT from the environment\n"
        "CMD app --port $PORT\n"
    )
    assert reported(text) == []


def test_a_blank_line_breaks_the_link() -> None:
    text = "FROM debian:12\n# initlint: ignore=IL102\n\nCMD app\n"
    assert reported(text) == [("IL102", 4)]


def test_a_comment_inside_an_earlier_continuation_does_not_count() -> None:
    text = "FROM debian:12\nRUN true \\\n# initlint: ignore=IL102\n  && true\nCMD app\n"
    assert reported(text) == [("IL102", 5)]


def test_prefixes_all_and_lower_case() -> None:
    assert reported("FROM debian:12\n# initlint: ignore=il1\nCMD app\n") == []
    assert reported("FROM debian:12\n#initlint:ignore=ALL\nCMD app\n") == []


def test_ignore_applies_to_a_multi_line_instruction() -> None:
    text = "FROM debian:12\n# initlint: ignore=IL102\nCMD app \\\n    --flag\n"
    assert reported(text) == []


def test_global_ignore_anywhere_in_the_file() -> None:
    text = "FROM debian:12\nCMD a\nCMD b\n\n# initlint: global ignore=IL107 -- reviewed\n"
    assert reported(text) == [("IL102", 3)]


def test_unknown_ids_in_comments_are_harmless() -> None:
    text = "FROM debian:12\n# initlint: ignore=IL999\nCMD app\n"
    assert reported(text) == [("IL102", 3)]


def test_a_plain_mention_is_not_an_ignore() -> None:
    text = "FROM debian:12\n# we could add initlint: ignore later\nCMD app\n"
    assert reported(text) == [("IL102", 3)]


@pytest.mark.parametrize("line_ending", ["\n", "\r\n"])
def test_through_the_command_line(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line_ending: str
) -> None:
    monkeypatch.chdir(tmp_path)
    text = "FROM debian:12\n# initlint: ignore=IL102\nCMD app\n".replace("\n", line_ending)
    (tmp_path / "Dockerfile").write_bytes(text.encode())
    result = invoke("Dockerfile")
    assert (result.exit_code, result.stdout) == (0, "No findings in 1 file.\n")

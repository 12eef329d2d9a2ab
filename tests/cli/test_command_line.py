"""Parsing the command line as a user meets it: --help, usage errors, option spellings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from initlint.cli_conventions import EPILOG
from tests.cli.conftest import Invoke

SHELL_CMD = "FROM debian:12\nCMD python3 /app.py\n"
USAGE = "usage: initlint [OPTIONS] [PATHS ...]\n"

# every option a user can type, as --help shows it (pairs as "--x / --no-x")
OPTIONS = [
    "-f, --format [text|json|sarif|github|gitlab]", "-o, --output FILE", "--select IDS",
    "--ignore IDS", "--failure-threshold [error|warning|info|none]", "--target STAGE",
    "--context DIRECTORY", "--config FILE", "--color / --no-color", "--list-rules",
    "--explain ID", "--fix", "--diff", "--unsafe-fixes",
    "--init-strategy [auto|python|tini|compose|none]", "--image REF", "--pull", "--probe REF",
    "--probe-wait SECONDS", "--jobs N", "--print-init", "--version", "--exclude GLOBS",
    "--extend-exclude GLOBS", "--force-exclude / --no-force-exclude",
    "--respect-gitignore / --no-respect-gitignore", "--exit-zero", "--statistics",
    "--show-fixes", "--stdin-filename PATH", "--base-path DIRECTORY",
    "--local-base-images / --no-local-base-images", "--require-staged", "-h, --help",
]  # fmt: skip


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text(SHELL_CMD, encoding="utf-8")


def listed_options(help_text: str) -> list[str]:
    """The option column of the Options section, in order."""
    section = help_text.split("\nOptions:\n", 1)[1].split("\n\n", 1)[0]
    return [
        re.split(r"\s{2,}", line.strip())[0]
        for line in section.splitlines()
        if line.startswith("  -")
    ]


def test_help_lists_every_option_then_the_epilog(invoke: Invoke) -> None:
    result = invoke("--help")
    assert (result.exit_code, result.stderr) == (0, "")
    text = result.stdout
    assert text.startswith(USAGE + "\nFind PID 1 problems in Dockerfiles")
    assert "Exit status: 0 no finding at or above the failure threshold" in text
    assert listed_options(text) == OPTIONS
    assert "--no-docker" not in text  # the old spelling works but is not advertised
    words = " ".join(text.split())  # the help texts, however the terminal wraps them
    assert "Only these rules: ids or prefixes, comma-separated (IL101,IL2; ALL)." in words
    assert "Off by default, so results do not depend on what a machine has pulled" in words
    assert text.endswith(EPILOG + "\n")
    assert invoke("-h").stdout == text


def test_help_keeps_the_epilog_lines_on_a_narrow_or_wide_terminal(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    for columns in ("60", "300"):
        monkeypatch.setenv("COLUMNS", columns)
        text = invoke("--help").stdout
        assert EPILOG in text
        options = text.split("\nOptions:\n", 1)[1].split("\n\n", 1)[0]
        widest = max(len(line) for line in options.splitlines())
        assert widest <= (100 if columns == "300" else 60), columns
        assert listed_options(text) == OPTIONS


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--fi"], "unrecognized arguments: --fi"),  # no abbreviations: --fi is not --fix
        (["-f"], "argument -f/--format: expected one argument"),
        (
            ["-f", "xml"],
            "argument -f/--format: invalid choice: 'xml' (choose from 'text', 'json', "
            "'sarif', 'github', 'gitlab')",
        ),
        (["--failure-threshold", "fatal"], "argument --failure-threshold: invalid choice"),
        (["--init-strategy", "s6"], "argument --init-strategy: invalid choice"),
        (["--context", "nowhere"], "argument --context: folder 'nowhere' does not exist"),
        (["--context", "Dockerfile"], "argument --context: 'Dockerfile' is not a folder"),
        (["--base-path", "Dockerfile"], "argument --base-path: 'Dockerfile' is not a folder"),
        (["--probe-wait", "-1"], "argument --probe-wait: '-1' is not a number of seconds >= 0"),
        (["--probe-wait", "nan"], "argument --probe-wait: 'nan' is not a number of seconds"),
        (["--jobs", "-1"], "argument --jobs: '-1' is not a whole number >= 0"),
        (["--jobs", "two"], "argument --jobs: 'two' is not a whole number >= 0"),
        (["--select", " , "], "argument --select: needs at least one rule id or prefix"),
        (["--ignore", "IL999"], "argument --ignore: unknown rule selector 'IL999'"),
    ],
)
def test_usage_errors_exit_2_with_the_usage_and_one_error_line(
    invoke: Invoke, args: list[str], message: str
) -> None:
    result = invoke("Dockerfile", *args)
    assert (result.exit_code, result.stdout) == (2, "")
    usage, error = result.stderr.splitlines()
    assert usage + "\n" == USAGE
    assert error.startswith(f"initlint: error: {message}"), error


def test_base_path_may_name_a_folder_that_does_not_exist_yet(invoke: Invoke) -> None:
    result = invoke("--base-path", "later", "Dockerfile")
    assert result.exit_code == 1
    assert result.stdout.startswith("../Dockerfile:2:1: IL102")


def test_options_may_follow_the_paths(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "Dockerfile").write_text(SHELL_CMD, encoding="utf-8")
    before = invoke("-f", "json", "--select", "IL102", "Dockerfile", "other")
    after = invoke("Dockerfile", "-f", "json", "other", "--select", "IL102")
    assert after == before
    assert before.exit_code == 1 and before.stdout.count('"rule": "IL102"') == 2


def test_paths_after_double_dash_are_paths(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "-odd").mkdir()
    (tmp_path / "-odd" / "Dockerfile").write_text(SHELL_CMD, encoding="utf-8")
    result = invoke("--select", "IL102", "--", "-odd", "Dockerfile")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("-odd/Dockerfile:2:1: IL102")
    assert lines[1].startswith("Dockerfile:2:1: IL102")


def test_repeated_options_add_up_and_equals_spellings_work(invoke: Invoke) -> None:
    one = invoke("--select=IL102,IL105", "Dockerfile")
    repeated = invoke("--select", "IL102", "--select", "IL105", "Dockerfile")
    assert repeated == one
    assert invoke("-fjson", "Dockerfile") == invoke("--format=json", "Dockerfile")


def test_the_last_of_a_pair_wins(invoke: Invoke) -> None:
    coloured = invoke("--no-color", "--color", "Dockerfile").stdout
    assert "\x1b[" in coloured
    assert "\x1b[" not in invoke("--color", "--no-color", "Dockerfile").stdout


def test_version_answers_whatever_follows(invoke: Invoke) -> None:
    from initlint import __version__

    for args in (["--version"], ["--version", "Dockerfile"], ["Dockerfile", "--version"]):
        assert invoke(*args) == (0, f"initlint {__version__}\n", "")

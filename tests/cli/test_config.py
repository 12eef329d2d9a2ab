"""Configuration files: where they are found, what they set, how errors read."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Invoke

SHELL_CMD = "FROM debian:12\nCMD python3 /app.py\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def rules_reported(stdout: str) -> set[str]:
    return {line.split()[1] for line in stdout.splitlines() if ": IL" in line}


def test_pyproject_table_applies_below_it(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.initlint]\nignore = ["IL102"]\n')
    write(tmp_path / "svc" / "Dockerfile", SHELL_CMD)
    result = invoke("svc")
    assert result.exit_code == 0
    assert rules_reported(result.stdout) == set()


def test_nearest_configuration_wins(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.initlint]\nignore = ["IL102"]\n')
    write(tmp_path / "svc" / ".initlint.toml", 'select = ["IL1"]\n')
    write(tmp_path / "svc" / "Dockerfile", SHELL_CMD)
    write(tmp_path / "other" / "Dockerfile", SHELL_CMD)
    result = invoke(".")
    assert "svc/Dockerfile:2:1: IL102" in result.stdout
    assert "other/Dockerfile" not in result.stdout


def test_initlint_toml_beats_pyproject_in_the_same_folder(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.initlint]\nignore = ["IL102"]\n')
    write(tmp_path / ".initlint.toml", "ignore = []\n")
    write(tmp_path / "Dockerfile", SHELL_CMD)
    assert rules_reported(invoke("Dockerfile").stdout) == {"IL102"}


def test_pyproject_without_the_table_does_not_stop_the_search(
    invoke: Invoke, tmp_path: Path
) -> None:
    write(tmp_path / "pyproject.toml", '[tool.initlint]\nignore = ["IL102"]\n')
    write(tmp_path / "svc" / "pyproject.toml", '[project]\nname = "svc"\n')
    write(tmp_path / "svc" / "Dockerfile", SHELL_CMD)
    assert invoke("svc/Dockerfile").exit_code == 0


def test_explicit_config_replaces_the_search(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path / ".initlint.toml", 'ignore = ["IL102"]\n')
    write(tmp_path / "strict.toml", 'select = ["ALL"]\n')
    write(tmp_path / "Dockerfile", SHELL_CMD)
    assert invoke("Dockerfile").exit_code == 0
    assert rules_reported(invoke("--config", "strict.toml", "Dockerfile").stdout) == {"IL102"}
    missing = invoke("--config", "nope.toml", "Dockerfile")
    assert missing.exit_code == 2
    assert missing.stderr == "nope.toml: error: configuration file not found\n"


def test_command_line_select_overrides_config_ignore(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path / ".initlint.toml", 'ignore = ["IL102"]\n')
    write(tmp_path / "Dockerfile", SHELL_CMD)
    assert rules_reported(invoke("--select", "IL102", "Dockerfile").stdout) == {"IL102"}
    assert invoke("--ignore", "IL105", "Dockerfile").exit_code == 0  # config ignore kept


def test_per_file_ignores_by_glob(invoke: Invoke, tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[tool.initlint.per-file-ignores]\n"legacy/**" = ["IL102"]\n"*.dev.Dockerfile" = "IL1"\n',
    )
    write(tmp_path / "legacy" / "old" / "Dockerfile", SHELL_CMD)
    write(tmp_path / "svc" / "app.dev.Dockerfile", SHELL_CMD)
    write(tmp_path / "svc" / "Dockerfile", SHELL_CMD)
    result = invoke(".")
    reported = [line.split(":")[0] for line in result.stdout.splitlines() if ": IL" in line]
    assert reported == ["svc/Dockerfile"]


def test_failure_threshold_from_config_and_command_line(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path / ".initlint.toml", 'failure-threshold = "warning"\n')
    write(tmp_path / "Dockerfile", 'FROM debian:12\nCMD ["supervisord"]\n')  # info only
    assert invoke("Dockerfile").exit_code == 0
    assert invoke("--failure-threshold", "info", "Dockerfile").exit_code == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[tool.initlint]\nselct = ["IL1"]\n', "pyproject.toml:2: error: unknown option 'selct'"),
        (
            '[tool.initlint]\nselect = ["XX1"]\n',
            "pyproject.toml:2: error: unknown rule selector 'XX1'",
        ),
        (
            '[tool.initlint]\n\nfailure-threshold = "loud"\n',
            "pyproject.toml:3: error: failure-threshold must be one of error, warning, info, none",
        ),
        (
            '[tool.initlint]\nselect = ["IL1"\n',
            "pyproject.toml:2: error: invalid TOML: Unclosed array",
        ),
        ("[tool.initlint]\nselect = 3\n", "pyproject.toml:2: error: select must be a list"),
    ],
)
def test_configuration_errors_are_one_line_naming_the_file(
    invoke: Invoke, tmp_path: Path, text: str, expected: str
) -> None:
    config = write(tmp_path / "pyproject.toml", text)
    write(tmp_path / "a" / "Dockerfile", SHELL_CMD)
    write(tmp_path / "b" / "Dockerfile", SHELL_CMD)
    result = invoke("a", "b")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1  # once, not once per Dockerfile
    assert lines[0].startswith(expected)
    assert config.exists()


def test_init_strategies_match_the_fixer() -> None:
    from initlint.config import INIT_STRATEGIES
    from initlint.fixes.init_injection import STRATEGIES

    assert INIT_STRATEGIES == STRATEGIES


def test_init_strategy_is_validated(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path / ".initlint.toml", 'init-strategy = "magic"\n')
    write(tmp_path / "Dockerfile", SHELL_CMD)
    result = invoke("Dockerfile")
    assert result.exit_code == 2
    assert result.stderr.startswith(".initlint.toml:1: error: init-strategy must be one of auto")


@pytest.mark.parametrize(
    "other_tools_pyproject",
    [
        '[project]\nname = "svc"\n\n[tool.ruff]\nline-length = 100\n',
        '[project\nname = "svc"\n',  # broken: pip, build or ruff report it, not initlint
        "[tool.ruff]\nselect = [\n",
    ],
)
def test_pyproject_of_other_tools_changes_nothing(
    invoke: Invoke, tmp_path: Path, other_tools_pyproject: str
) -> None:
    write(tmp_path / ".initlint.toml", 'ignore = ["IL102"]\n')
    write(tmp_path / "svc" / "pyproject.toml", other_tools_pyproject)
    write(tmp_path / "svc" / "Dockerfile", SHELL_CMD)
    quiet = invoke("svc/Dockerfile")
    assert (quiet.exit_code, quiet.stderr) == (0, "")  # the configuration above still applies
    write(tmp_path / ".initlint.toml", "ignore = []\n")
    loud = invoke("svc/Dockerfile")
    assert (loud.exit_code, loud.stderr) == (1, "")
    assert rules_reported(loud.stdout) == {"IL102"}


def test_pyproject_of_other_tools_that_is_not_utf8_changes_nothing(
    invoke: Invoke, tmp_path: Path
) -> None:
    write(tmp_path / "svc" / "Dockerfile", SHELL_CMD)
    (tmp_path / "svc" / "pyproject.toml").write_bytes(b'[project]\nname = "caf\xe9"\n')
    result = invoke("svc/Dockerfile")
    assert (result.exit_code, result.stderr) == (1, "")
    assert rules_reported(result.stdout) == {"IL102"}


def test_broken_pyproject_that_names_initlint_is_an_error(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path / ".initlint.toml", 'ignore = ["IL102"]\n')
    write(tmp_path / "svc" / "pyproject.toml", '[project]\nname = "svc"\n[tool.initlint\n')
    write(tmp_path / "svc" / "Dockerfile", SHELL_CMD)
    result = invoke("svc/Dockerfile")
    assert result.exit_code == 2
    assert result.stderr.startswith("svc/pyproject.toml:3: error: invalid TOML")
    assert len(result.stderr.splitlines()) == 1

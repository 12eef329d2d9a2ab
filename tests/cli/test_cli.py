"""The command line as a user sees it: output, exit codes, options (stub rules)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from initlint import __version__
from initlint.checks.base import rule
from initlint.model import Applicability, Prediction, RuntimeSpec, Severity
from tests.cli.conftest import Invoke

SHELL_CMD = "FROM debian:12\nCMD python3 /app.py\n"
EXEC_CMD = 'FROM debian:12\nCMD ["python3", "/app.py"]\n'
SUPERVISOR = 'FROM debian:12\nCMD ["supervisord", "-n"]\n'
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_finding_line_format_and_summary(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path, "Dockerfile", SHELL_CMD)
    result = invoke("Dockerfile")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Dockerfile:2:1: IL102 [error] CMD in shell form: /bin/sh is PID 1 and docker stop "
        "waits for SIGKILL"
    )
    assert lines[-1] == "Found 1 finding (1 error, 0 warnings, 0 info) in 1 of 1 file."
    assert result.stderr == ""


def test_clean_file_exits_zero(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path, "Dockerfile", EXEC_CMD)
    result = invoke("Dockerfile")
    assert result.exit_code == 0
    assert result.stdout == "No findings in 1 file.\n"


def test_default_path_is_the_current_folder(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path, "svc/Dockerfile", SHELL_CMD)
    result = invoke()
    assert result.exit_code == 1
    assert result.stdout.startswith("svc/Dockerfile:2:1: IL102")


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [("info", 1), ("warning", 0), ("error", 0), ("none", 0)],
)
def test_failure_threshold_with_an_info_finding(
    invoke: Invoke, tmp_path: Path, threshold: str, expected: int
) -> None:
    write(tmp_path, "Dockerfile", SUPERVISOR)
    result = invoke("--failure-threshold", threshold, "Dockerfile")
    assert result.exit_code == expected
    assert "IL105 [info]" in result.stdout  # reported whatever the threshold


def test_failure_threshold_error_still_fails_on_errors(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path, "Dockerfile", SHELL_CMD)
    assert invoke("--failure-threshold", "error", "Dockerfile").exit_code == 1


def test_select_and_ignore_take_comma_lists_and_prefixes(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path, "Dockerfile", "FROM debian:12\nCMD a\nCMD supervisord\n")
    everything = invoke("Dockerfile").stdout
    assert "IL102" in everything and "IL107" in everything and "IL105" in everything
    only_il10x = invoke("--select", "IL102,IL107", "Dockerfile").stdout
    assert "IL102" in only_il10x and "IL107" in only_il10x and "IL105" not in only_il10x
    ignored = invoke("--ignore", "IL10", "Dockerfile")
    assert ignored.exit_code == 0
    assert ignored.stdout == "No findings in 1 file.\n"
    specific_wins = invoke("--select", "IL102", "--ignore", "IL1", "Dockerfile").stdout
    assert "IL102" in specific_wins
    lower_case = invoke("--select", "il107", "Dockerfile").stdout
    assert "IL107" in lower_case and "IL102" not in lower_case


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_selector_is_a_usage_error(invoke: Invoke, tmp_path: Path, option: str) -> None:
    write(tmp_path, "Dockerfile", SHELL_CMD)
    result = invoke(option, "IL999", "Dockerfile")
    assert result.exit_code == 2
    assert "unknown rule selector 'IL999'" in result.stderr
    assert result.stdout == ""


def test_target_lints_the_named_stage(invoke: Invoke, tmp_path: Path) -> None:
    write(
        tmp_path,
        "Dockerfile",
        'FROM debian:12 AS build\nCMD make\n\nFROM debian:12\nCMD ["/app"]\n',
    )
    assert invoke("Dockerfile").exit_code == 0
    built = invoke("--target", "build", "Dockerfile")
    assert built.exit_code == 1
    assert "Dockerfile:2:1: IL102" in built.stdout
    missing = invoke("--target", "nope", "Dockerfile")
    assert missing.exit_code == 2
    assert re.fullmatch(r"Dockerfile:\d+: error: .*'nope'.*\n", missing.stderr)


def test_stdin_is_named_stdin(invoke: Invoke) -> None:
    result = invoke("-", input=SHELL_CMD)
    assert result.exit_code == 1
    assert result.stdout.startswith("<stdin>:2:1: IL102 [error]")


def test_output_file_gets_the_report(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path, "Dockerfile", SHELL_CMD)
    result = invoke("--format", "json", "--output", "report.json", "Dockerfile")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert '"rule": "IL102"' in (tmp_path / "report.json").read_text(encoding="utf-8")


def test_colour_on_request_only(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path, "Dockerfile", SHELL_CMD)
    plain = invoke("Dockerfile").stdout  # not a terminal
    assert not ANSI.search(plain)
    coloured = invoke("--color", "Dockerfile").stdout
    assert ANSI.search(coloured)
    assert ANSI.sub("", coloured) == plain
    assert not ANSI.search(invoke("--no-color", "Dockerfile").stdout)


def test_list_rules(invoke: Invoke) -> None:
    result = invoke("--list-rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["IL101", "IL102", "IL105", "IL107"]
    assert lines[0].split()[1:3] == ["shell-form-entrypoint", "error"]


def test_explain_prints_the_rule_page_or_its_summary(invoke: Invoke) -> None:
    result = invoke("--explain", "il101")
    assert result.exit_code == 0
    page = Path(__file__).resolve().parents[2] / "rules" / "IL101.md"
    if page.exists():
        assert result.stdout == page.read_text(encoding="utf-8")
    else:
        assert result.stdout.startswith("# IL101 shell-form-entrypoint\n")
        assert "ENTRYPOINT in shell form" in result.stdout
    by_name = invoke("--explain", "shell-form-entrypoint")
    assert by_name.stdout == result.stdout


def test_explain_unknown_rule(invoke: Invoke) -> None:
    result = invoke("--explain", "IL999")
    assert result.exit_code == 2
    assert result.stderr == "initlint: error: unknown rule 'IL999' (see initlint --list-rules)\n"


def test_version(invoke: Invoke) -> None:
    result = invoke("--version")
    assert (result.exit_code, result.stdout) == (0, f"initlint {__version__}\n")


def test_python_dash_m_initlint() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "initlint", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, f"initlint {__version__}\n")
    helped = subprocess.run(
        [sys.executable, "-m", "initlint", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert helped.returncode == 0
    assert "--failure-threshold" in helped.stdout


def test_a_crashing_rule_names_the_file_and_others_still_run(
    invoke: Invoke, tmp_path: Path
) -> None:
    @rule("IL108", "stop-signal", Severity.WARNING, Applicability.SAFE, "broken on purpose")
    def broken(spec: RuntimeSpec, prediction: Prediction) -> list:  # type: ignore[type-arg]
        raise KeyError("boom")

    from tests.cli.stub_rules import STUB_RULES

    write(tmp_path, "Dockerfile", SHELL_CMD)
    result = invoke("Dockerfile", rules=(*STUB_RULES, broken))
    assert result.exit_code == 2
    assert "IL102 [error]" in result.stdout  # the other rules' findings are kept
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Dockerfile: error: internal error in rule IL108: KeyError")
    assert "Traceback" not in result.stderr


def test_errors_and_findings_together_exit_two(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path, "good/Dockerfile", SHELL_CMD)
    write(tmp_path, "bad/Dockerfile", "FROM debian:12\nFROBNICATE now\n")
    result = invoke("good", "bad")
    assert result.exit_code == 2
    assert result.stderr == "bad/Dockerfile:2: error: unknown instruction: FROBNICATE\n"
    assert result.stdout.startswith("good/Dockerfile:2:1: IL102")
    assert result.stdout.splitlines()[-1].endswith("1 file could not be linted.")


def test_several_crashing_rules_still_make_one_line(invoke: Invoke, tmp_path: Path) -> None:
    def crash(spec: RuntimeSpec, prediction: Prediction) -> list:  # type: ignore[type-arg]
        raise ValueError("bad\nthing")

    first = rule("IL103", "a", Severity.WARNING, Applicability.NONE, "x")(crash)
    second = rule("IL104", "b", Severity.WARNING, Applicability.NONE, "y")(crash)
    write(tmp_path, "Dockerfile", SHELL_CMD)
    result = invoke("Dockerfile", rules=(first, second))
    assert result.exit_code == 2
    assert result.stderr == (
        "Dockerfile: error: internal error in rule IL103: ValueError: bad thing "
        "(a bug in initlint; please report it) (and 1 more rule failure(s))\n"
    )


def test_unwritable_output_is_one_line(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path, "Dockerfile", SHELL_CMD)
    result = invoke("--output", "no/such/folder/report.txt", "Dockerfile")
    assert result.exit_code == 2
    assert result.stderr == (
        "initlint: error: cannot write no/such/folder/report.txt: No such file or directory\n"
    )


def test_stdin_named_twice_is_read_once(invoke: Invoke) -> None:
    result = invoke("-", "-", input=SHELL_CMD)
    assert result.exit_code == 1
    assert result.stdout.count("<stdin>:2:1: IL102") == 1


def _wait_until_blocked_reading_stdin(pid: int, timeout: float = 120.0) -> None:
    """Until the process sleeps in read(0, ...): imports done, waiting for input (a fixed
    sleep sent SIGINT during the imports on a loaded machine)."""
    import time

    read_syscalls = {"0", "63"}  # read on x86-64, on arm64
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:  # "running", or the blocking system call's number and arguments
            fields = Path(f"/proc/{pid}/syscall").read_text().split()
        except OSError:
            fields = []
        if len(fields) > 1 and fields[0] in read_syscalls and fields[1] == "0x0":
            return
        time.sleep(0.02)
    raise AssertionError(f"initlint never blocked reading standard input within {timeout} s")


def test_ctrl_c_exits_130_not_1(tmp_path: Path) -> None:
    import signal

    process = subprocess.Popen(
        [sys.executable, "-m", "initlint", "-"],  # waits for standard input
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _wait_until_blocked_reading_stdin(process.pid)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == 130
        assert stderr.strip() == "initlint: interrupted"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

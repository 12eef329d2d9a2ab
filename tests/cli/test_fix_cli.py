"""``initlint --fix``, ``--diff`` and ``--print-init`` as a user runs them: real rules, files."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

SHELL_FORM = "FROM python:3.12-slim\r\n# the app\r\nCMD python3 /app.py --port 80\r\n"
FIXED = 'FROM python:3.12-slim\r\n# the app\r\nCMD ["python3", "/app.py", "--port", "80"]\r\n'


def initlint(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command; output decoded without newline translation (CRLF stays visible)."""
    ran = subprocess.run(
        [sys.executable, "-m", "initlint", "--no-color", *args],
        cwd=cwd,
        input=None if stdin is None else stdin.encode(),
        capture_output=True,
        timeout=60,
    )
    return subprocess.CompletedProcess(
        ran.args, ran.returncode, ran.stdout.decode(), ran.stderr.decode()
    )


def write(path: Path, text: str, mode: int = 0o644) -> Path:
    path.write_bytes(text.encode())
    path.chmod(mode)
    return path


def test_fix_rewrites_in_place_keeping_crlf_comments_and_mode(tmp_path: Path) -> None:
    dockerfile = write(tmp_path / "Dockerfile", SHELL_FORM, 0o640)
    result = initlint("--fix", "Dockerfile", cwd=tmp_path)
    assert dockerfile.read_bytes() == FIXED.encode()
    assert stat.S_IMODE(dockerfile.stat().st_mode) == 0o640
    assert "Fixed 1 finding in 1 file." in result.stdout
    assert "IL102" not in result.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["Dockerfile"]  # no temp file left


def test_fix_twice_equals_fix_once(tmp_path: Path) -> None:
    dockerfile = write(tmp_path / "Dockerfile", SHELL_FORM)
    initlint("--fix", "Dockerfile", cwd=tmp_path)
    once = dockerfile.read_bytes()
    result = initlint("--fix", "Dockerfile", cwd=tmp_path)
    assert dockerfile.read_bytes() == once
    assert "Fixed" not in result.stdout


def test_remaining_findings_still_fail_the_run(tmp_path: Path) -> None:
    # the ENTRYPOINT needs a shell: no fix exists, so the finding stays and the exit is 1
    write(tmp_path / "Dockerfile", "FROM debian:12\nENTRYPOINT run $PORT | tee /log\n")
    result = initlint("--fix", "Dockerfile", cwd=tmp_path)
    assert result.returncode == 1
    assert "IL101" in result.stdout


def test_diff_prints_a_unified_diff_and_writes_nothing(tmp_path: Path) -> None:
    dockerfile = write(tmp_path / "Dockerfile", SHELL_FORM)
    result = initlint("--diff", "Dockerfile", cwd=tmp_path)
    assert result.returncode == 1
    assert dockerfile.read_bytes() == SHELL_FORM.encode()
    assert result.stdout.split("\n")[:2] == ["--- Dockerfile", "+++ Dockerfile"]
    lines = result.stdout.split("\n")
    assert "-CMD python3 /app.py --port 80\r" in lines
    assert '+CMD ["python3", "/app.py", "--port", "80"]\r' in lines


def test_diff_of_a_clean_file_is_empty_and_exits_0(tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", 'FROM debian:12\nCMD ["sleep", "1"]\n')
    result = initlint("--diff", "Dockerfile", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")


def test_unsafe_fixes_only_with_the_flag(tmp_path: Path) -> None:
    text = "FROM debian:12\nCMD one\nCMD two\n"
    dockerfile = write(tmp_path / "Dockerfile", text)
    initlint("--fix", "Dockerfile", cwd=tmp_path)
    assert "CMD one" in dockerfile.read_text()  # IL107's removal is unsafe
    initlint("--fix", "--unsafe-fixes", "Dockerfile", cwd=tmp_path)
    assert dockerfile.read_text() == 'FROM debian:12\nCMD ["two"]\n'


def test_standard_input_cannot_be_fixed_in_place_but_can_be_diffed(tmp_path: Path) -> None:
    result = initlint("--fix", "-", cwd=tmp_path, stdin=SHELL_FORM)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "<stdin>:1: error: cannot fix standard input in place: use --diff"
    )
    diffed = initlint("--diff", "-", cwd=tmp_path, stdin=SHELL_FORM)
    assert diffed.returncode == 1 and '+CMD ["python3"' in diffed.stdout


def test_print_init_writes_a_runnable_standalone_init(tmp_path: Path) -> None:
    result = initlint("--print-init", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("#!/usr/bin/env python3\n# initlint-init ")
    vendored = write(tmp_path / "initlint-init", result.stdout)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    ran = subprocess.run(
        [sys.executable, "-I", "-S", str(vendored), "--", "sh", "-c", "exit 7"],
        env=env,
        capture_output=True,
        timeout=30,
    )
    assert ran.returncode == 7

"""Inputs initlint cannot lint: one line ``path:line: error: ...`` each on stderr, exit 2, no
traceback, and the other files of the same run still linted and reported.

Limits (decided here, see initlint.reading): Dockerfiles over 1 MiB (YAML files over 16 MiB)
are refused unread; a NUL byte means binary; text must be UTF-8 (UTF-16 is recognised by its
BOM and named). An error about a file always carries a line (1 when it is about the whole
file); an error about a folder or a missing path has none.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = "FROM debian:12\nCMD python3 /app.py\n"
GOOD_FINDING = re.compile(r"^good/Dockerfile:2:1: IL102 \[error\] ", re.MULTILINE)

BAD_FILES: dict[str, tuple[bytes, str]] = {
    "binary": (
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00>\x00",
        r"bad/Dockerfile:1: error: binary file \(NUL byte\), not a Dockerfile",
    ),
    "empty": (b"", r"bad/Dockerfile:1: error: empty file: .*"),
    "blank": (b"\n\n   \n", r"bad/Dockerfile:1: error: empty file: .*"),
    "invalid-utf8": (
        b'FROM debian:12\nCMD ["caf\xe9"]\n',
        r"bad/Dockerfile:2: error: not valid UTF-8: byte 0xe9 at column 10",
    ),
    "utf16": (
        "FROM debian:12\n".encode("utf-16"),
        r"bad/Dockerfile:1: error: file is UTF-16 encoded: save it as UTF-8",
    ),
    "10MB": (
        b"FROM debian:12\n" + b"RUN echo 0123456789abcdef0123456789abcdef\n" * 250_000,
        r"bad/Dockerfile:1: error: file is 10\.\d MiB; initlint reads Dockerfiles up to 1 MiB",
    ),
    "unknown-instruction": (
        b"FROM debian:12\nFROBNICATE --hard\nCMD x\n",
        r"bad/Dockerfile:2: error: unknown instruction: FROBNICATE",
    ),
    "unterminated-heredoc": (
        b"FROM debian:12\nRUN <<EOF\necho hi\nCMD x\n",
        r"bad/Dockerfile:2: error: unterminated heredoc EOF",
    ),
    "no-from": (b"# just a comment\n", r"bad/Dockerfile:1: error: .*FROM.*"),
    "instruction-before-from": (
        b"RUN true\nFROM debian:12\n",
        r"bad/Dockerfile:1: error: .*FROM.*",
    ),
}


def initlint(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "initlint", "--no-color", *args],
        cwd=cwd,
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=120,
        check=False,
    )
    return subprocess.CompletedProcess(
        result.args,
        result.returncode,
        result.stdout.decode("utf-8"),
        result.stderr.decode("utf-8"),
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "Dockerfile").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad").mkdir()
    return tmp_path


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_is_one_line_and_others_are_still_linted(project: Path, case: str) -> None:
    content, expected = BAD_FILES[case]
    (project / "bad" / "Dockerfile").write_bytes(content)
    result = initlint("bad/Dockerfile", "good", cwd=project)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert re.fullmatch(expected + "\n", result.stderr), result.stderr
    assert GOOD_FINDING.search(result.stdout), result.stdout


def test_folder_without_a_dockerfile(project: Path) -> None:
    (project / "bad" / "README.md").write_text("no Dockerfile here\n", encoding="utf-8")
    result = initlint("bad", "good", cwd=project)
    assert result.returncode == 1  # the findings in good/; a folder with nothing is no error
    assert result.stderr == (
        "bad: note: no Dockerfile, compose file or Kubernetes manifest in this folder\n"
    )
    assert GOOD_FINDING.search(result.stdout)


def test_missing_path(project: Path) -> None:
    result = initlint("nope/Dockerfile", "good", cwd=project)
    assert result.returncode == 2
    assert result.stderr == "nope/Dockerfile: error: no such file or directory\n"
    assert GOOD_FINDING.search(result.stdout)


def test_all_bad_inputs_in_one_run(project: Path) -> None:
    for case, (content, _) in BAD_FILES.items():
        (project / "bad" / f"{case}.Dockerfile").write_bytes(content)
    result = initlint("bad", "good", cwd=project)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == len(BAD_FILES)
    assert all(re.match(r"^bad/[\w.-]+\.Dockerfile:\d+: error: \S", line) for line in lines)
    assert GOOD_FINDING.search(result.stdout)
    assert result.stdout.splitlines()[-2].endswith(f"{len(BAD_FILES)} files could not be linted.")


def test_bad_input_on_stdin(project: Path) -> None:
    result = initlint("-", cwd=project, stdin=b"\x00\x01\x02")
    assert result.returncode == 2
    assert result.stderr == "<stdin>:1: error: binary file (NUL byte), not a Dockerfile\n"


@pytest.mark.parametrize("output_format", ["json", "sarif", "github", "gitlab"])
def test_machine_formats_stay_parseable_when_a_file_is_bad(
    project: Path, output_format: str
) -> None:
    (project / "bad" / "Dockerfile").write_bytes(b"FROM debian:12\nFROBNICATE\n")
    result = initlint("--format", output_format, "bad", "good", cwd=project)
    assert result.returncode == 2
    assert result.stderr == "bad/Dockerfile:2: error: unknown instruction: FROBNICATE\n"
    if output_format != "github":
        import json

        json.loads(result.stdout)  # errors never leak into the report stream
    assert "good/Dockerfile" in result.stdout

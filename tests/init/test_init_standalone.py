"""The init as a file: Python 3.8 syntax, stdlib only, and its command line outside any run."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from initlint import init
from tests.support import skip_or_fail
from tests.support.pidns import INIT_PY, REPO

SOURCE = INIT_PY.read_text()


def test_source_is_valid_python_3_8() -> None:
    ast.parse(SOURCE, feature_version=(3, 8))


def test_imports_only_standard_library_modules() -> None:
    imported: set[str] = set()
    for node in ast.walk(ast.parse(SOURCE)):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports"
            imported.add((node.module or "").split(".")[0])
    assert imported, "the walk found no import at all"
    assert not {name for name in imported if name != "__future__"} - sys.stdlib_module_names
    assert "initlint" not in imported


def test_runs_as_a_copied_file_without_site_packages(tmp_path: Path) -> None:
    copy = tmp_path / "initlint-init"
    shutil.copy(INIT_PY, copy)
    result = subprocess.run(
        [sys.executable, "-I", "-S", str(copy), "--", "sh", "-c", "exit 7"],
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert (result.returncode, result.stderr) == (7, b"")


def test_runs_as_python_m_initlint_init() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "initlint.init", "--", "sh", "-c", "echo m; exit 6"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        cwd=REPO,
    )
    assert (result.returncode, result.stdout) == (6, "m\n")


def test_console_script_initlint_init() -> None:
    script = Path(sys.executable).with_name("initlint-init")
    if not script.exists():
        skip_or_fail(f"{script} is not installed (pip install -e .)")
    result = subprocess.run(
        [str(script), "--", "sh", "-c", "exit 9"], capture_output=True, timeout=30, check=False
    )
    assert result.returncode == 9


def oldest_python() -> str:
    """The oldest Python 3.8+ here (pyenv or PATH), else the one running the tests."""
    for minor in range(8, sys.version_info.minor):
        candidates = [
            shutil.which(f"python3.{minor}"),
            *map(str, sorted(Path.home().glob(f".pyenv/versions/3.{minor}.*/bin/python3"))),
        ]
        for candidate in candidates:
            if candidate and subprocess.run([candidate, "-c", "pass"], check=False).returncode == 0:
                return candidate
    return sys.executable


def test_runs_on_the_oldest_python_available() -> None:
    python = oldest_python()
    result = subprocess.run(
        [python, "-I", "-S", str(INIT_PY), "-v", "--", "sh", "-c", "kill -HUP $$"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 129, (python, result.stderr)


def run_file(
    *args: str, name: str | None = None, tmp_path: Path | None = None
) -> subprocess.CompletedProcess[str]:
    script = INIT_PY
    if name is not None:
        assert tmp_path is not None
        script = tmp_path / name
        script.symlink_to(INIT_PY)
    return subprocess.run(
        [sys.executable, "-I", "-S", str(script), *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_version_and_license_and_help() -> None:
    assert run_file("--version").stdout == f"initlint-init {init.VERSION}\n"
    assert run_file("-V").stdout == f"initlint-init {init.VERSION}\n"
    assert run_file("-l").stdout.startswith("MIT License")
    help_text = run_file("-h")
    assert help_text.returncode == 0
    assert "Usage: initlint-init [OPTIONS] [--] PROGRAM" in help_text.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "no program to run"),
        (["-x", "--", "true"], "unknown option -x"),
        (["--nope", "true"], "unknown option --nope"),
        (["-e", "256", "true"], "-e takes an exit code"),
        (["-e"], "-e needs a value"),
        (["-r", "USR1", "true"], "-r takes S:R"),
        (["-r", "NOPE:1", "true"], "-r takes S:R"),
        (["-p", "SIGNOPE", "true"], "-p takes a signal"),
        (["--grace", "soon", "true"], "--grace takes a number"),
    ],
)
def test_usage_errors_exit_1_with_one_line_and_a_hint(args: list[str], message: str) -> None:
    result = run_file(*args)
    assert result.returncode == 1
    first, hint = result.stderr.splitlines()
    assert message in first
    assert hint == "Try 'initlint-init --help' for more information."


def test_tini_name_reports_its_mode(tmp_path: Path) -> None:
    result = run_file("--version", name="tini", tmp_path=tmp_path)
    assert result.stdout == f"initlint-init {init.VERSION} (running as tini)\n"


def test_signal_names_and_numbers_parse_like_kill_does() -> None:
    assert init.signal_number("TERM") == init.signal_number("SIGTERM") == 15
    assert init.signal_number("sigusr1") == 10
    assert init.signal_number("9") == 9
    assert init.signal_number("RTMIN+2") == init.signal_number("SIGRTMIN") + 2
    assert init.signal_number("SIGRTMAX-1") == init.signal_number("RTMAX") - 1
    for bad in ("SIG_DFL", "NOPE", "RTMIN+x", "0", "65", "RTMAX+1"):
        with pytest.raises(ValueError):
            init.signal_number(bad)


def test_options_end_at_the_program_name() -> None:
    opts = init.parse_command_line(["-g", "-vv", "prog", "-g", "--", "x"], "initlint-init", {})
    assert opts.command == ["prog", "-g", "--", "x"]
    assert (opts.to_group, opts.verbosity) == (True, 3)


def test_clustered_and_attached_option_values() -> None:
    opts = init.parse_command_line(["-gse3", "-e", "4", "-rUSR1:0", "--grace=2.5", "p"], "tini", {})
    assert opts.expected_codes == {3, 4}
    assert opts.rewrite == {10: 0}
    assert opts.grace == 2.5


def test_environment_variables() -> None:
    env = {"TINI_KILL_PROCESS_GROUP": "", "TINI_VERBOSITY": "3", "TINI_SUBREAPER": "1"}
    opts = init.parse_command_line(["p"], "tini", env)
    assert (opts.to_group, opts.verbosity) == (True, 3)
    dumb = init.parse_command_line(["p"], "dumb-init", {"DUMB_INIT_SETSID": "0"})
    assert (dumb.new_session, dumb.to_group, dumb.new_group) == (False, False, False)
    assert init.parse_command_line(["p"], "dumb-init", {"DUMB_INIT_DEBUG": "1"}).verbosity == 3


def test_dumb_init_defaults_rewrite_job_control_signals_to_sigstop() -> None:
    opts = init.parse_command_line(["-r", "20:0", "p"], "dumb-init", {})
    assert opts.new_session and opts.to_group and opts.stop_on_tty_signals
    assert opts.rewrite == {20: 0, 21: 19, 22: 19}  # an explicit -r wins
    single = init.parse_command_line(["-c", "p"], "dumb-init", {})
    assert single.rewrite == {}


def test_prctl_fast_path_and_its_ctypes_fallback_agree() -> None:
    # PR_SET_PDEATHSIG 0 is harmless for the test process; 99 is no signal at all
    assert init._prctl(init.PR_SET_PDEATHSIG, 0) is None
    assert init._prctl_through_ctypes(init.PR_SET_PDEATHSIG, 0) is None
    assert init._prctl(init.PR_SET_PDEATHSIG, 99) == "prctl failed"
    assert init._prctl_through_ctypes(init.PR_SET_PDEATHSIG, 99) == "Invalid argument"


def test_imported_by_a_launcher_with_cached_bytecode(tmp_path: Path) -> None:
    # the fast start the docstring describes: import the file as a module, whose bytecode
    # Python caches in __pycache__ and recompiles by itself if the interpreter changes
    shutil.copy(INIT_PY, tmp_path / "initlint_init.py")
    launcher = f"import sys; sys.path[:0] = [{str(tmp_path)!r}]; import initlint_init as i"
    for _ in range(2):  # the first run writes the cache, the second uses it
        result = subprocess.run(
            [
                sys.executable,
                "-I",
                "-S",
                "-c",
                f"{launcher}; i.run_as_program()",
                "--",
                "sh",
                "-c",
                "exit 4",
            ],
            capture_output=True,
            timeout=30,
            check=False,
        )
        assert (result.returncode, result.stderr) == (4, b"")
    assert list((tmp_path / "__pycache__").glob("initlint_init.*.pyc"))


def test_output_to_a_closed_pipe_is_no_traceback() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # `initlint-init --license | true`: nobody reads
    try:
        result = subprocess.run(
            [sys.executable, "-I", "-S", str(INIT_PY), "--license"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=30,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (0, b"")

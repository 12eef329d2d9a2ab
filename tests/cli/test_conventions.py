"""The conventions hadolint and ruff users know: excludes, .gitignore, --exit-zero,
--statistics, --show-fixes, the [*] marker, ignore-comment warnings, --stdin-filename, report
paths, the empty folder, -f. Each runs the real command (in process) on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from initlint.pipeline import default_rules
from tests.cli.conftest import Invoke, Outcome

REPO_ROOT = Path(__file__).resolve().parents[2]
SHELL_CMD = "FROM debian:12\nCMD python3 /app.py\n"
# IL102 (safe fix: plain words) and IL107 (unsafe fix: drop the earlier CMD)
SAFE_AND_UNSAFE = 'FROM debian:12\nCMD ["sleep", "1"]\nCMD /usr/local/bin/server --port 80\n'


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def linted(result: Outcome) -> set[str]:
    """The files findings were reported in (text format)."""
    return {line.split(":", 1)[0] for line in result.stdout.splitlines() if ": IL" in line}


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def real(invoke: Invoke) -> Invoke:
    """The command with the real rules (their fixes and applicabilities)."""

    def run(*args: str, input: str | bytes | None = None) -> Outcome:
        return invoke(*args, input=input, rules=default_rules())

    return run


# --- exclude, extend-exclude, force-exclude, .gitignore ------------------------------------


def test_extend_exclude_in_config_leaves_folders_out_of_walks(
    invoke: Invoke, tmp_path: Path
) -> None:
    write(tmp_path / "pyproject.toml", '[tool.initlint]\nextend-exclude = ["fixtures", "*.old"]\n')
    write(tmp_path / "app" / "Dockerfile", SHELL_CMD)
    write(tmp_path / "tests" / "fixtures" / "Dockerfile", SHELL_CMD)
    write(tmp_path / "app" / "Dockerfile.old", SHELL_CMD)
    write(tmp_path / "node_modules" / "x" / "Dockerfile", SHELL_CMD)  # default exclude
    assert linted(invoke(".")) == {"app/Dockerfile"}


def test_exclude_replaces_the_defaults(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path / ".initlint.toml", 'exclude = ["legacy/**"]\n')
    write(tmp_path / "legacy" / "a" / "Dockerfile", SHELL_CMD)
    write(tmp_path / "node_modules" / "x" / "Dockerfile", SHELL_CMD)
    assert linted(invoke(".")) == {"node_modules/x/Dockerfile"}


def test_command_line_excludes(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path / "a" / "Dockerfile", SHELL_CMD)
    write(tmp_path / "b" / "Dockerfile", SHELL_CMD)
    write(tmp_path / "c" / "Dockerfile", SHELL_CMD)
    assert linted(invoke(".", "--extend-exclude", "a,b/Dockerfile")) == {"c/Dockerfile"}
    assert linted(invoke(".", "--exclude", "c")) == {"a/Dockerfile", "b/Dockerfile"}


def test_named_paths_are_linted_unless_force_exclude(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.initlint]\nextend-exclude = ["vendor"]\n')
    write(tmp_path / "vendor" / "lib" / "Dockerfile", SHELL_CMD)
    assert linted(invoke("vendor/lib/Dockerfile")) == {"vendor/lib/Dockerfile"}
    assert linted(invoke("vendor")) == {"vendor/lib/Dockerfile"}
    forced = invoke("--force-exclude", "vendor/lib/Dockerfile")
    assert forced.exit_code == 0 and linted(forced) == set()


def test_force_exclude_from_config(invoke: Invoke, tmp_path: Path) -> None:
    write(
        tmp_path / ".initlint.toml", 'force-exclude = true\nextend-exclude = ["gen.Dockerfile"]\n'
    )
    write(tmp_path / "gen.Dockerfile", SHELL_CMD)
    write(tmp_path / "Dockerfile", SHELL_CMD)
    assert linted(invoke("gen.Dockerfile", "Dockerfile")) == {"Dockerfile"}


def test_gitignore_is_respected_in_walks(invoke: Invoke, tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    write(tmp_path / ".gitignore", "build/\n*.generated.Dockerfile\n!keep.generated.Dockerfile\n")
    write(tmp_path / "svc" / ".gitignore", "/local\n")
    write(tmp_path / "Dockerfile", SHELL_CMD)
    write(tmp_path / "build" / "Dockerfile", SHELL_CMD)
    write(tmp_path / "x.generated.Dockerfile", SHELL_CMD)
    write(tmp_path / "keep.generated.Dockerfile", SHELL_CMD)
    write(tmp_path / "svc" / "local" / "Dockerfile", SHELL_CMD)
    write(tmp_path / "local" / "Dockerfile", SHELL_CMD)  # /local is anchored to svc/
    assert linted(invoke(".")) == {"Dockerfile", "keep.generated.Dockerfile", "local/Dockerfile"}
    everything = linted(invoke(".", "--no-respect-gitignore"))
    assert {"build/Dockerfile", "svc/local/Dockerfile"} <= everything


def test_configured_global_excludes_file_is_respected(invoke: Invoke, tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    excludes = write(tmp_path / "my-excludes", "scratch/\n")
    subprocess.run(["git", "config", "core.excludesFile", str(excludes)], cwd=tmp_path, check=True)
    write(tmp_path / "Dockerfile", SHELL_CMD)
    write(tmp_path / "scratch" / "Dockerfile", SHELL_CMD)
    assert linted(invoke(".")) == {"Dockerfile"}
    write(tmp_path / ".gitignore", "!scratch/\n")  # a .gitignore outranks it, as in git
    assert linted(invoke(".")) == {"Dockerfile", "scratch/Dockerfile"}


def test_default_global_excludes_file_is_respected(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)  # no user or system config names
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")  # another file
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    subprocess.run(["git", "init", "-q", "repo"], cwd=tmp_path, check=True)
    write(tmp_path / "config" / "git" / "ignore", "*.local.Dockerfile\n")
    write(tmp_path / "repo" / "Dockerfile", SHELL_CMD)
    write(tmp_path / "repo" / "dev.local.Dockerfile", SHELL_CMD)
    assert linted(invoke("repo")) == {"repo/Dockerfile"}
    assert linted(invoke("repo", "--no-respect-gitignore")) == {
        "repo/Dockerfile",
        "repo/dev.local.Dockerfile",
    }


def test_gitignore_outside_a_work_tree_is_not_read(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path / ".gitignore", "build/\n")
    write(tmp_path / "build" / "Dockerfile", SHELL_CMD)
    assert linted(invoke(".")) == {"build/Dockerfile"}


def test_repository_lints_itself_without_input_errors() -> None:
    """`initlint .` here: the broken test fixtures are excluded by the project's own config."""
    result = subprocess.run(
        [sys.executable, "-m", "initlint", "."],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode == 1, result.stderr  # the examples have findings on purpose
    assert "error:" not in result.stderr, result.stderr
    assert "tests/fixtures" not in result.stdout
    assert "examples/flask-shell-cmd/Dockerfile" in result.stdout


# --- exit status and summaries -------------------------------------------------------------


def test_exit_zero(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", SHELL_CMD)
    result = invoke("--exit-zero", "Dockerfile")
    assert result.exit_code == 0 and "IL102" in result.stdout
    # input errors still exit 2
    assert invoke("--exit-zero", "Dockerfile", "missing.Dockerfile").exit_code == 2


def test_statistics(real: Invoke, tmp_path: Path) -> None:
    write(tmp_path / "a" / "Dockerfile", SAFE_AND_UNSAFE)
    write(tmp_path / "b" / "Dockerfile", "FROM debian:12\nCMD /usr/local/bin/server\n")
    result = real("--statistics", ".")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == ["2", "IL102", "[*] shell-form-cmd"]
    assert lines[1].split("\t") == ["1", "IL107", "[ ] repeated-entrypoint-or-cmd"]
    assert lines[2] == "[*] 2 fixable with --fix (1 more with --unsafe-fixes)."
    as_json = json.loads(real("--statistics", "-f", "json", ".").stdout)
    assert as_json[0] == {"code": "IL102", "name": "shell-form-cmd", "count": 2, "fixable": True}


def test_fixable_marker_and_closing_line(real: Invoke, tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", SAFE_AND_UNSAFE)
    result = real("Dockerfile")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Dockerfile:2:1: IL107 [warning] this CMD"), lines  # unsafe
    assert lines[1].startswith("Dockerfile:3:1: IL102 [error] [*] CMD is in shell form"), lines
    assert lines[-1] == "[*] 1 fixable with --fix (1 more with --unsafe-fixes)."
    unsafe = real("--unsafe-fixes", "Dockerfile").stdout.splitlines()
    assert unsafe[0].startswith("Dockerfile:2:1: IL107 [warning] [*] this CMD"), unsafe
    assert unsafe[-1] == "[*] 2 fixable with --fix --unsafe-fixes."


def test_show_fixes(real: Invoke, tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", SAFE_AND_UNSAFE)
    result = real("--fix", "--show-fixes", "--unsafe-fixes", "Dockerfile")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.endswith(
        "Applied 2 fixes:\n- Dockerfile:\n    1 x IL102 (shell-form-cmd)\n"
        "    1 x IL107 (repeated-entrypoint-or-cmd)\n"
    ), result.stdout
    again = real("--fix", "--show-fixes", "Dockerfile")
    assert again.stdout.endswith("No fixes applied.\n")


# --- inline ignore comments ----------------------------------------------------------------


def test_warnings_for_ignore_comments_that_do_nothing(real: Invoke, tmp_path: Path) -> None:
    write(
        tmp_path / "Dockerfile",
        "# initlint: global ignore=IL999,IL2 -- typo\nFROM debian:12\n"
        "# initlint ignore=IL102\nCMD python3 /app.py\n",
    )
    result = real("Dockerfile")
    assert "Dockerfile:4:1: IL102" in result.stdout  # the hadolint spelling is not applied
    assert result.stderr.splitlines() == [
        "Dockerfile:1: warning: unknown rule code 'IL999' in "
        "'# initlint: global ignore=IL999,IL2 -- typo' (initlint --list-rules)",
        "Dockerfile:3: warning: '# initlint ignore=IL102' is not applied: write "
        "'# initlint: ignore=IL102' (with a colon, unlike hadolint)",
    ]


def test_warnings_in_yaml_comments(real: Invoke, tmp_path: Path) -> None:
    write(
        tmp_path / "compose.yaml",
        "services:\n  web:  # initlint: ignore=IL1O3\n    image: debian:12\n",
    )
    result = real("compose.yaml")
    assert "compose.yaml:2: warning: unknown rule code 'IL1O3'" in result.stderr


# --- stdin, paths, empty folders, -f -------------------------------------------------------


def test_stdin_filename_names_the_input_and_picks_its_config(
    invoke: Invoke, tmp_path: Path
) -> None:
    write(tmp_path / "svc" / ".initlint.toml", 'ignore = ["IL105"]\n')
    result = invoke("--stdin-filename", "svc/Dockerfile", "-", input=SHELL_CMD)
    assert result.stdout.startswith("svc/Dockerfile:2:1: IL102"), result.stdout
    quiet = invoke(
        "--stdin-filename", "svc/Dockerfile", input='FROM x\nCMD ["supervisord", "-n"]\n'
    )  # no path: - is implied, and svc/.initlint.toml ignores IL105
    assert quiet.exit_code == 0 and "IL105" not in quiet.stdout


def test_stdin_filename_excluded_with_force_exclude(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path / ".initlint.toml", 'extend-exclude = ["gen"]\n')
    result = invoke("--force-exclude", "--stdin-filename", "gen/Dockerfile", "-", input=SHELL_CMD)
    assert result.exit_code == 0 and "IL102" not in result.stdout


def test_report_paths_relative_to_cwd_or_base_path(invoke: Invoke, tmp_path: Path) -> None:
    dockerfile = write(tmp_path / "svc" / "Dockerfile", SHELL_CMD)
    text = invoke(str(dockerfile))
    assert text.stdout.startswith("svc/Dockerfile:2:1: IL102"), text.stdout
    sarif = json.loads(invoke("-f", "sarif", str(dockerfile)).stdout)
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "svc/Dockerfile"
    gitlab = json.loads(invoke("-f", "gitlab", str(dockerfile)).stdout)
    assert gitlab[0]["location"]["path"] == "svc/Dockerfile"
    based = json.loads(invoke("-f", "gitlab", "--base-path", "svc", str(dockerfile)).stdout)
    assert based[0]["location"]["path"] == "Dockerfile"
    outside = invoke("--base-path", str(tmp_path / "svc"), "svc/Dockerfile")
    assert outside.stdout.startswith("Dockerfile:2:1: IL102"), outside.stdout


def test_empty_folder_exits_zero_with_one_line(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    write(tmp_path / "empty" / "README.md", "nothing to lint\n")
    result = invoke("empty")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == (
        "initlint: nothing to lint: no Dockerfile, compose file or Kubernetes manifest in empty "
        "(excluded and .gitignore'd paths left out)\n"
    )


def test_f_is_short_for_format(invoke: Invoke, tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", SHELL_CMD)
    assert json.loads(invoke("-f", "json", "Dockerfile").stdout) == json.loads(
        invoke("--format", "json", "Dockerfile").stdout
    )


# --- deterministic by default --------------------------------------------------------------


def test_help_names_the_local_base_images_option(invoke: Invoke) -> None:
    text = invoke("--help").stdout
    assert "--local-base-images" in text and "local-base-images" in text.split("--local-base")[1]


def test_docker_sdk_is_not_imported_for_files(tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", SHELL_CMD)
    write(tmp_path / "compose.yaml", "services:\n  web:\n    build: .\n")
    code = (
        "import sys\nfrom initlint.cli import main\nsys.argv = ['initlint', '.']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('docker' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.stderr.splitlines()[-1] == "False", result.stderr
    assert "IL102" in result.stdout


# --- files a fix creates -------------------------------------------------------------------

NEEDS_INIT = 'FROM python:3.12-slim\nCOPY app.py /app/app.py\nCMD ["python3", "/app/app.py"]\n'


def test_fix_names_every_file_it_creates(real: Invoke, tmp_path: Path) -> None:
    write(tmp_path / "svc" / "Dockerfile", NEEDS_INIT)
    write(tmp_path / "svc" / "app.py", "import time\n\ntime.sleep(3600)\n")
    result = real("--fix", "svc")
    assert (tmp_path / "svc" / "initlint-init").is_file()
    assert result.stderr.splitlines() == [
        "svc/initlint-init: created by the fix of svc/Dockerfile, which COPYs it: add it to "
        "version control (git add svc/initlint-init)"
    ]
    assert real("--fix", "svc").stderr == ""  # nothing created the second time


def test_diff_shows_created_files_as_new_files(real: Invoke, tmp_path: Path) -> None:
    write(tmp_path / "Dockerfile", NEEDS_INIT)
    write(tmp_path / "app.py", "import time\n\ntime.sleep(3600)\n")
    result = real("--diff", "Dockerfile")
    assert result.exit_code == 1
    assert "--- /dev/null\n+++ initlint-init\n@@ -0,0 +1," in result.stdout
    assert "+# initlint-init " in result.stdout
    assert "+COPY initlint-init /usr/local/lib/initlint-init.py\n" in result.stdout
    assert "initlint-init: --fix would create it for Dockerfile" in result.stderr
    assert not (tmp_path / "initlint-init").exists()

"""The pre-commit hook, for real: ``pre-commit try-repo <this repo> initlint --all-files``.

pre-commit builds its own virtualenv from this repository (committed files plus uncommitted
changes to tracked files). To keep that independent of the network after the first run, the
test fills a wheelhouse once per machine with the build and runtime requirements read from
pyproject.toml, and points pip at it with no index.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import skip_or_fail

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO_ROOT = Path(__file__).resolve().parent.parent
WHEELHOUSE_ROOT = Path(
    os.environ.get("INITLINT_TEST_CACHE", Path.home() / ".cache" / "initlint-tests")
)
# Debian's /bin/sh is dash, which stays PID 1 (busybox ash on Alpine would exec the server)
BAD = "FROM debian:12\nCOPY server /usr/local/bin/server\nCMD /usr/local/bin/server --port 8080\n"
FIXED = (
    "FROM debian:12\nCOPY server /usr/local/bin/server\n"
    'CMD ["/usr/local/bin/server", "--port", "8080"]\n'
)

pytestmark = pytest.mark.slow


def requirements() -> list[str]:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [*project["build-system"]["requires"], *project["project"]["dependencies"], "wheel"]


def wheelhouse() -> Path:
    """A folder of wheels that satisfies pyproject's requirements (filled once)."""
    wanted = requirements()
    key = hashlib.sha256(json.dumps(wanted).encode()).hexdigest()[:16]
    folder = WHEELHOUSE_ROOT / f"wheelhouse-{key}"
    stamp = folder / ".complete"
    if not stamp.exists():
        folder.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--dest", str(folder), *wanted],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0:
            skip_or_fail(f"cannot fill the wheelhouse for pre-commit: {result.stderr[-500:]}")
        stamp.write_text("\n".join(wanted) + "\n", encoding="utf-8")
    return folder


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def try_repo(
    project: Path, wheels: Path, hook: str = "initlint"
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheels),
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "NO_COLOR": "1",
    }
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(REPO_ROOT),
            hook,
            "--all-files",
            "--color",
            "never",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_hook_fails_on_a_bad_dockerfile_and_passes_once_fixed(tmp_path: Path) -> None:
    wheels = wheelhouse()
    project = tmp_path / "project"
    project.mkdir()
    git("init", "-q", cwd=project)
    dockerfile = project / "Dockerfile"
    dockerfile.write_text(BAD, encoding="utf-8")
    (project / "README.md").write_text("not linted\n", encoding="utf-8")
    git("add", ".", cwd=project)

    failed = try_repo(project, wheels)
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    assert "Dockerfile:3:1: IL102 [error]" in output, output
    assert "README.md" not in output.split("Using config:")[-1].split("=" * 79)[-1]

    dockerfile.write_text(FIXED, encoding="utf-8")
    git("add", ".", cwd=project)
    passed = try_repo(project, wheels)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "initlint" in passed.stdout and "Passed" in passed.stdout


def test_fix_hook_rewrites_the_file_fails_once_then_passes(tmp_path: Path) -> None:
    wheels = wheelhouse()
    project = tmp_path / "project"
    project.mkdir()
    git("init", "-q", cwd=project)
    dockerfile = project / "Dockerfile"
    dockerfile.write_text(BAD, encoding="utf-8")
    git("add", ".", cwd=project)

    first = try_repo(project, wheels, "initlint-fix")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout, first.stdout
    assert dockerfile.read_text(encoding="utf-8") == FIXED

    git("add", ".", cwd=project)
    second = try_repo(project, wheels, "initlint-fix")
    assert second.returncode == 0, second.stdout + second.stderr


def test_fix_hook_fails_until_the_created_init_is_staged(tmp_path: Path) -> None:
    """The fix vendors initlint-init next to the Dockerfile, which now COPYs it: a commit
    without that file would not build from a fresh clone, so the hook fails until it is
    staged (`git add -u` alone is not enough)."""
    wheels = wheelhouse()
    project = tmp_path / "project"
    project.mkdir()
    git("init", "-q", cwd=project)
    dockerfile = project / "Dockerfile"
    dockerfile.write_text(
        'FROM python:3.12-slim\nCOPY app.py /app/app.py\nCMD ["python3", "/app/app.py"]\n',
        encoding="utf-8",
    )
    (project / "app.py").write_text("import time\n\ntime.sleep(3600)\n", encoding="utf-8")
    git("add", ".", cwd=project)

    first = try_repo(project, wheels, "initlint-fix")
    output = first.stdout + first.stderr
    assert first.returncode == 1, output
    assert "COPY initlint-init /usr/local/lib/initlint-init.py" in dockerfile.read_text()
    assert (project / "initlint-init").is_file()
    assert "initlint-init: created by the fix of Dockerfile" in output, output
    assert "git add initlint-init" in output, output

    git("add", "-u", cwd=project)  # the edited Dockerfile only: the new file is left out
    second = try_repo(project, wheels, "initlint-fix")
    output = second.stdout + second.stderr
    assert second.returncode == 1, output
    assert "initlint-init: error: not staged: Dockerfile needs it" in output, output

    git("add", "initlint-init", cwd=project)
    third = try_repo(project, wheels, "initlint-fix")
    assert third.returncode == 0, third.stdout + third.stderr

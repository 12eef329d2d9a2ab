"""`initlint --fix` end to end: fix a real build context, build both images, stop both.

For each fixture in tests/fixtures/e2e/fix_*: copy it, run `initlint --fix` on the copy (the
CLI, as a subprocess), check the Dockerfile became what the fix promises, build the original
and the fixed image on the local Debian base, run both, check the fixed one does the same
work (prints the same lines), then `docker stop -t 5` both: the original takes the whole grace
period and dies of SIGKILL (the reason for the fix), the fixed one stops in under a second.

The fixtures say `FROM initlint-test/debian-python:12`, a name initlint knows nothing about:
what it knows of that base (dash as /bin/sh, python3 present, no ENTRYPOINT) it reads from the
local engine (`--local-base-images`, off by default), which is what lets `--fix` pick the python
init strategy.

The tini strategy cannot be built here (no network for apt-get), so its output is checked as
text for a Debian and an Alpine base.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import docker
import pytest
from docker.models.containers import Container

from initlint.fixes.dockerfile import fix_dockerfile_text
from initlint.fixes.init_injection import PYTHON_INIT_SETUP
from initlint.fixes.vendoring import VENDORED_NAME, vendored_init
from initlint.model import Finding
from initlint.pipeline import default_rules, lint_text
from tests.support.docker_env import (
    build_image,
    container_pid,
    started_container,
    timed_stop,
    wait_for_log,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "e2e"
REPO_ROOT = Path(__file__).resolve().parents[2]
GRACE_SECONDS = 5
KILLED_BY_SIGKILL = 128 + 9
KILLED_BY_SIGTERM = 128 + 15
FIXED_STOPS_WITHIN = 1.0
ORIGINAL_WAITS_AT_LEAST = 4.5
WRITTEN_BASE = "initlint-test/debian-python:12"  # what the fixtures say

INIT_COPY = "\n".join(PYTHON_INIT_SETUP)  # the source COPY'd, compiled by the build
INIT_PREFIX = '"python3", "-I", "-S", "/usr/local/bin/initlint-init", "--"'


@dataclass(frozen=True)
class FixCase:
    """One fixture and what `initlint --fix` and `docker stop` must do with it."""

    name: str
    flags: tuple[str, ...]  # beyond --fix
    rules_before: frozenset[str]  # what `initlint` reports on the original
    fixed_body: str  # exactly what --fix writes after the FROM line
    ready: str  # the line that says the app has done its start-up work
    original_pid1: str  # comm of the original container's PID 1
    fixed_exit: int
    vendors_init: bool
    # Lines the fix changes on purpose (the reason an unsafe fix is unsafe): original, fixed.
    changed_lines: tuple[tuple[str, str], ...] = field(default=())


NO_HANDLER_COMMENT = (
    "# Shell form: dash stays PID 1 and drops SIGTERM; python3 would too once it is PID 1 itself,\n"
    "# since app.py installs no handler. --fix writes exec form and puts initlint-init in front.\n"
)

CASES = (
    FixCase(
        name="fix_shell_form_cmd",
        flags=(),
        rules_before=frozenset({"IL102"}),
        fixed_body="COPY app.py /app.py\n"
        + f"{INIT_COPY}\n"
        + f"ENTRYPOINT [{INIT_PREFIX}]\n"
        + NO_HANDLER_COMMENT
        + 'CMD ["python3", "/app.py"]\n',
        ready="app started: shell-form CMD fixture",
        original_pid1="sh",
        fixed_exit=KILLED_BY_SIGTERM,
        vendors_init=True,
    ),
    FixCase(
        name="fix_shell_form_entrypoint_with_cmd",
        flags=("--unsafe-fixes",),  # the CMD, ignored so far, starts reaching the app
        rules_before=frozenset({"IL101", "IL106"}),
        fixed_body="COPY app.py /app.py\n"
        + f"{INIT_COPY}\n"
        + "# Shell-form ENTRYPOINT: dash is PID 1 and the CMD below never reaches the app.\n"
        + f'ENTRYPOINT [{INIT_PREFIX}, "python3", "/app.py"]\n'
        + 'CMD ["--greeting", "hello"]\n',
        ready="args: ",
        original_pid1="sh",
        fixed_exit=KILLED_BY_SIGTERM,
        vendors_init=True,
        changed_lines=(("args: []", "args: ['--greeting', 'hello']"),),
    ),
    FixCase(
        name="fix_sh_c_without_exec",
        flags=(),
        rules_before=frozenset({"IL103"}),
        fixed_body="WORKDIR /srv\n"
        + "COPY app.py /srv/app.py\n"
        + "# dash runs the last command of `sh -c` as a child: the shell stays PID 1 and drops"
        + " SIGTERM.\n"
        + 'CMD ["sh", "-c", "cd /srv && exec python3 app.py"]\n',
        ready="app started: sh -c fixture in /srv",
        original_pid1="sh",
        fixed_exit=0,  # app.py's handler exits 0
        vendors_init=False,
    ),
    FixCase(
        name="fix_python_no_handler",
        flags=(),
        rules_before=frozenset({"IL202"}),
        fixed_body="COPY app.py /app.py\n"
        + f"{INIT_COPY}\n"
        + f"ENTRYPOINT [{INIT_PREFIX}]\n"
        + "# Exec form, so python3 is PID 1, but app.py installs no SIGTERM handler: the kernel"
        + " drops\n"
        + "# SIGTERM for a PID 1 without one. --fix puts initlint-init in front of it.\n"
        + 'CMD ["python3", "/app.py"]\n',
        ready="app started: exec-form Python fixture",
        original_pid1="python3",
        fixed_exit=KILLED_BY_SIGTERM,
        vendors_init=True,
    ),
)


@dataclass(frozen=True)
class StopResult:
    output_before_stop: list[str]
    output_after_stop: list[str]
    pid1_cmdline: list[str]
    pid1_comm: str
    seconds: float
    exit_code: int


def run_initlint(context: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "XDG_CACHE_HOME": str(context.parent / "cache")}
    return subprocess.run(
        [sys.executable, "-m", "initlint", "--local-base-images", *args, "Dockerfile"],
        cwd=context,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def reported_rules(result: subprocess.CompletedProcess[str]) -> set[str]:
    """Rule ids in `initlint`'s text output (`file:line:col: ID [severity] message`)."""
    rules: set[str] = set()
    for line in result.stdout.splitlines():
        parts = line.split(": ", 2)
        if len(parts) >= 2 and parts[1].startswith("IL"):
            rules.add(parts[1].split()[0])
    return rules


def pid1_details(container: Container) -> tuple[str, list[str]]:
    pid = container_pid(container)
    assert pid != 0, f"container exited early: {container.attrs['State']}"
    comm = Path(f"/proc/{pid}/comm").read_text().strip()
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().rstrip(b"\0").split(b"\0")
    return comm, [word.decode() for word in cmdline]


def run_and_stop(client: docker.DockerClient, image_id: str, ready: str) -> StopResult:
    """Start the image, wait for its ready line, `docker stop -t 5` it, collect what happened."""
    with started_container(client, image_id) as container:
        before = wait_for_log(container, ready).splitlines()
        comm, cmdline = pid1_details(container)
        seconds = timed_stop(container, GRACE_SECONDS)
        exit_code = int(container.wait(timeout=30)["StatusCode"])
        after = container.logs().decode(errors="replace").splitlines()[len(before) :]
    return StopResult(before, after, cmdline, comm, seconds, exit_code)


def copy_fixture(case: FixCase, folder: Path, base: str) -> Path:
    """The fixture's build context, its FROM line pointing at ``base``."""
    shutil.copytree(FIXTURES / case.name, folder)
    dockerfile = folder / "Dockerfile"
    first, rest = dockerfile.read_text().split("\n", 1)
    assert first == f"FROM {WRITTEN_BASE}", first
    dockerfile.write_text(f"FROM {base}\n{rest}")
    return folder


def fix_with_cli(case: FixCase, original: Path, fixed: Path, base: str, *extra: str) -> None:
    """On the copy: `initlint` reports the problem, `--diff` shows the fix and writes nothing,
    `--fix` writes the promised file, and a second `--fix` changes nothing."""
    linted = run_initlint(original)
    assert linted.returncode == 1, linted.stdout + linted.stderr
    assert case.rules_before <= reported_rules(linted), linted.stdout

    written = (fixed / "Dockerfile").read_bytes()
    if "--unsafe-fixes" in case.flags:
        safe_only = run_initlint(fixed, "--diff", *extra)
        assert safe_only.stdout == "", f"plain --fix would apply an unsafe fix:\n{safe_only.stdout}"
    diff = run_initlint(fixed, "--diff", *case.flags, *extra)
    assert diff.returncode == 1, f"exit {diff.returncode}\n{diff.stdout}{diff.stderr}"
    assert diff.stdout.startswith("--- Dockerfile\n+++ Dockerfile\n"), diff.stdout[:500]
    assert (fixed / "Dockerfile").read_bytes() == written, "--diff changed the Dockerfile"
    assert not (fixed / VENDORED_NAME).exists(), "--diff wrote the init"

    result = run_initlint(fixed, "--fix", *case.flags, *extra)
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}{result.stderr}"
    assert "Fixed" in result.stdout, result.stdout
    expected = f"FROM {base}\n{case.fixed_body}"
    assert (fixed / "Dockerfile").read_text() == expected, result.stderr
    vendored = fixed / VENDORED_NAME
    assert vendored.exists() == case.vendors_init
    if case.vendors_init:
        assert vendored.read_text() == vendored_init()
    assert (fixed / "app.py").read_bytes() == (original / "app.py").read_bytes()

    again = run_initlint(fixed, "--fix", *case.flags, *extra)
    assert again.returncode == 0, again.stdout + again.stderr
    assert (fixed / "Dockerfile").read_text() == expected, "--fix is not idempotent"


@pytest.mark.docker
@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_fixed_image_does_the_same_work_and_stops_at_once(
    case: FixCase, tmp_path: Path, docker_client: docker.DockerClient, debian_python_image: str
) -> None:
    original_dir = copy_fixture(case, tmp_path / "original", debian_python_image)
    fixed_dir = copy_fixture(case, tmp_path / "fixed", debian_python_image)
    fix_with_cli(case, original_dir, fixed_dir, debian_python_image)

    tag = f"initlint-test/e2e-{case.name.replace('_', '-')}"
    original_image = build_image(docker_client, original_dir, f"{tag}:original")
    fixed_image = build_image(docker_client, fixed_dir, f"{tag}:fixed")
    original = run_and_stop(docker_client, original_image.id, case.ready)
    fixed = run_and_stop(docker_client, fixed_image.id, case.ready)
    print(
        f"\n{case.name}: docker stop -t {GRACE_SECONDS}: original {original.seconds:.2f} s "
        f"(exit {original.exit_code}, PID 1 {original.pid1_comm}), fixed {fixed.seconds:.2f} s "
        f"(exit {fixed.exit_code}, PID 1 {' '.join(fixed.pid1_cmdline)})"
    )

    expected_lines = list(original.output_before_stop)
    for was, becomes in case.changed_lines:
        assert was in expected_lines, original.output_before_stop
        expected_lines[expected_lines.index(was)] = becomes
    assert fixed.output_before_stop == expected_lines

    assert original.pid1_comm == case.original_pid1
    if case.vendors_init:
        assert fixed.pid1_cmdline[:5] == [
            "python3",
            "-I",
            "-S",
            "/usr/local/bin/initlint-init",
            "--",
        ]
    else:
        assert fixed.pid1_comm == "python3"

    assert original.seconds >= ORIGINAL_WAITS_AT_LEAST, (
        f"original stopped in {original.seconds:.2f} s"
    )
    assert original.exit_code == KILLED_BY_SIGKILL
    assert fixed.seconds < FIXED_STOPS_WITHIN, f"fixed image took {fixed.seconds:.2f} s to stop"
    assert fixed.exit_code == case.fixed_exit, fixed.output_after_stop


# --- the tini strategy: checked as text, since apt-get/apk cannot run without a network -------

APP_WITHOUT_HANDLER = "import time\n\nwhile True:\n    time.sleep(1)\n"


def tini_fix(tmp_path: Path, dockerfile: str) -> str:
    """What `initlint --fix --init-strategy tini` writes for this Dockerfile and app.py."""
    (tmp_path / "app.py").write_text(APP_WITHOUT_HANDLER)
    path = tmp_path / "Dockerfile"
    path.write_text(dockerfile)
    rules = default_rules()

    def lint(text: str, overrides: Mapping[str, str] = {}, /) -> list[Finding]:
        return lint_text(text, str(path), rules, overrides=overrides)[0]

    outcome = fix_dockerfile_text(dockerfile, str(path), lint, strategy="tini")
    assert not outcome.rolled_back, outcome.rolled_back
    assert not outcome.writes, "the tini strategy writes nothing into the build context"
    return outcome.fixed


def test_tini_strategy_on_debian_installs_with_apt_get(tmp_path: Path) -> None:
    before = textwrap.dedent(
        """\
        FROM debian:12
        RUN apt-get update && apt-get install -y --no-install-recommends python3 \\
            && rm -rf /var/lib/apt/lists/*
        COPY app.py /app.py
        CMD ["python3", "/app.py"]
        """
    )
    install_tini = (
        "RUN apt-get update && apt-get install -y --no-install-recommends tini"
        " && rm -rf /var/lib/apt/lists/*\n"
    )
    lines = before.splitlines(keepends=True)
    assert tini_fix(tmp_path, before) == "".join(
        [*lines[:4], install_tini, 'ENTRYPOINT ["tini", "--"]\n', lines[4]]
    )


def test_tini_strategy_on_alpine_installs_with_apk(tmp_path: Path) -> None:
    before = textwrap.dedent(
        """\
        FROM alpine:3.19
        RUN apk add --no-cache python3
        COPY app.py /app.py
        ENTRYPOINT ["python3", "/app.py"]
        """
    )
    assert tini_fix(tmp_path, before) == textwrap.dedent(
        """\
        FROM alpine:3.19
        RUN apk add --no-cache python3
        COPY app.py /app.py
        RUN apk add --no-cache tini
        ENTRYPOINT ["tini", "--", "python3", "/app.py"]
        """
    )


@pytest.mark.docker
def test_tini_strategy_builds_and_stops_at_once(
    tmp_path: Path, docker_client: docker.DockerClient, debian_python_image: str
) -> None:
    """The tini fix, built: on a local base that holds Debian's tini (copied from the host's
    tini package, since apt-get has no network here) the install RUN is all that is left out."""
    tini_static = Path("/usr/bin/tini-static")
    assert tini_static.exists(), "scripts/system-deps.sh installs Debian's tini package"
    base_context = tmp_path / "base"
    base_context.mkdir()
    shutil.copy(tini_static, base_context / "tini")
    (base_context / "Dockerfile").write_text(
        f"FROM {debian_python_image}\nCOPY tini /usr/bin/tini\n"
    )
    base = build_image(docker_client, base_context, "initlint-test/debian-python-tini:12")
    # Fix the same app on a base initlint knows (debian:12), then build the fixed
    # instructions on the local base without the install RUN: the package is already there and
    # apt-get cannot reach a mirror.
    dockerfile = 'FROM debian:12\nCOPY app.py /app.py\nCMD ["python3", "/app.py"]\n'
    fixed = tini_fix(tmp_path, dockerfile).splitlines(keepends=True)
    assert fixed[0] == "FROM debian:12\n"
    kept = [line for line in fixed[1:] if "apt-get" not in line]
    (tmp_path / "Dockerfile").write_text(f"FROM {base.id}\n" + "".join(kept))
    (tmp_path / "app.py").write_text('print("app started", flush=True)\n' + APP_WITHOUT_HANDLER)
    image = build_image(docker_client, tmp_path, "initlint-test/e2e-tini-fix:latest")
    result = run_and_stop(docker_client, image.id, "app started")
    print(f"\ntini fix: docker stop -t {GRACE_SECONDS} took {result.seconds:.2f} s")
    assert result.pid1_comm == "tini"
    assert result.seconds < FIXED_STOPS_WITHIN

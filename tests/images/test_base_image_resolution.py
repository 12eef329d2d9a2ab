"""Dockerfiles whose base image is in the local engine: its real facts replace the name guesses.

Needs the facts-provider hook in initlint.sources.dockerfile (``build_model(syntax,
facts_provider)``); until that lands these tests skip and say so.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from initlint.engine import base_facts as docker_facts
from initlint.model import ShellFamily
from initlint.sources import dockerfile
from tests.images.conftest import ImageBuilder

pytestmark = pytest.mark.docker


@pytest.fixture(autouse=True)
def fresh_facts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    docker_facts.reset()
    yield
    docker_facts.reset()


def load(text: str, local: bool) -> dockerfile.RuntimeSpec:
    provider = docker_facts.local_image_facts if local else None
    return dockerfile.load_dockerfile_text(text, "Dockerfile", facts_provider=provider)


def test_real_bin_sh_replaces_the_unknown_guess(debian_python_image: str) -> None:
    text = f"FROM {debian_python_image}\nCMD python3 /app.py\n"
    assert load(text, local=False).shell_family is ShellFamily.UNKNOWN  # name says nothing
    assert load(text, local=True).shell_family is ShellFamily.DASH


def test_inherited_entrypoint_and_workdir_of_a_local_base(fixture_image: ImageBuilder) -> None:
    base = fixture_image("entrypoint_script")
    text = f'FROM {base}\nCMD ["python3", "other.py"]\n'
    guessed = load(text, local=False)
    real = load(text, local=True)
    assert guessed.argv == ("python3", "other.py")
    assert real.argv == ("docker-entrypoint.sh", "python3", "other.py")
    assert real.entrypoint is not None and real.entrypoint.inherited_from == base
    assert real.entrypoint.span.line == 1  # points at FROM


def test_entrypoint_in_the_stage_resets_the_base_cmd(fixture_image: ImageBuilder) -> None:
    base = fixture_image("shell_form")  # CMD python3 /app.py (shell form)
    real = load(f'FROM {base}\nENTRYPOINT ["python3", "/app.py"]\n', local=True)
    assert real.argv == ("python3", "/app.py")
    assert real.reset_cmd is not None and real.reset_cmd.inherited_from == base


def test_missing_base_image_falls_back_to_the_name(docker_client: object) -> None:
    text = "FROM python:3.12-slim\nCMD python3 /app.py\n"
    assert load(text, local=True) == load(text, local=False)


def _cli(cwd: Path, *args: str) -> str:
    env = {**os.environ, "NO_COLOR": "1", "XDG_CACHE_HOME": str(cwd / "cache")}
    result = subprocess.run(
        [sys.executable, "-m", "initlint", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    return result.stdout


def test_engine_facts_are_opt_in(debian_python_image: str, tmp_path: Path) -> None:
    """The same file gives the same findings on every machine unless the user asks for the
    local engine: by option, or by the config key."""
    (tmp_path / "Dockerfile").write_text(f"FROM {debian_python_image}\nCMD python3 /app.py\n")
    # Without the engine the local tag is an unknown base: the message cannot name its shell.
    default = _cli(tmp_path, "Dockerfile")
    assert "/bin/sh (unknown shell)" in default
    asked = _cli(tmp_path, "--local-base-images", "Dockerfile")
    assert "/bin/sh (dash) will be PID 1" in asked
    (tmp_path / ".initlint.toml").write_text("local-base-images = true\n")
    assert _cli(tmp_path, "Dockerfile") == asked
    assert _cli(tmp_path, "--no-local-base-images", "Dockerfile") == default

"""Base-image facts from the local engine for the Dockerfile loader: real, cached, or None."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest

from initlint.engine import base_facts as docker_facts
from initlint.model import CommandForm, ShellFamily, Span
from initlint.sources.image import inherited_config
from tests.images.conftest import ImageBuilder

pytestmark = pytest.mark.docker

FROM_SPAN = Span("Dockerfile", 1, 1, 1, 30)


@pytest.fixture
def fresh_facts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty facts cache in a temporary folder and a provider that has seen nothing."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    docker_facts.reset()
    yield tmp_path / "initlint" / "images"
    docker_facts.reset()


def test_local_debian_image_facts_replace_the_guess(
    docker_client: docker.DockerClient, debian_python_image: str, fresh_facts: Path
) -> None:
    facts = docker_facts.local_image_facts(debian_python_image)
    assert facts is not None
    assert facts.facts.shell is ShellFamily.DASH
    assert facts.facts.has_python3 is True
    assert facts.facts.package_manager == "apt"
    assert facts.config is not None and facts.config.cmd is None
    # cached on disk by image id for the next run
    assert [p.name.startswith("sha256-") for p in fresh_facts.iterdir()] == [True]


def test_busybox_image_is_ash_without_python(
    docker_client: docker.DockerClient, busybox_image: str, fresh_facts: Path
) -> None:
    facts = docker_facts.local_image_facts(busybox_image)
    assert facts is not None
    assert facts.facts.shell is ShellFamily.ASH
    assert facts.facts.has_python3 is False


def test_second_run_reads_the_cache_and_agrees(
    docker_client: docker.DockerClient, debian_python_image: str, fresh_facts: Path
) -> None:
    first = docker_facts.local_image_facts(debian_python_image)
    docker_facts.reset()  # a new process: only the disk cache is left
    started = time.monotonic()
    second = docker_facts.local_image_facts(debian_python_image)
    elapsed = time.monotonic() - started
    assert second == first
    print(f"cached base-image facts (connect + inspect + cache read): {elapsed * 1000:.0f} ms")


def test_image_not_in_the_engine_is_none(
    docker_client: docker.DockerClient, fresh_facts: Path
) -> None:
    assert docker_facts.local_image_facts("initlint-test/never-built:1") is None
    assert docker_facts.local_image_facts("scratch") is None
    assert docker_facts.local_image_facts(None) is None


def test_inherited_config_of_a_built_image(fixture_image: ImageBuilder, fresh_facts: Path) -> None:
    ref = fixture_image("entrypoint_script")
    facts = docker_facts.local_image_facts(ref)
    assert facts is not None
    inherited = inherited_config(facts, FROM_SPAN)
    assert inherited is not None
    assert inherited.entrypoint is not None
    assert inherited.entrypoint.argv == ("docker-entrypoint.sh",)
    assert inherited.entrypoint.inherited_from == ref
    assert inherited.entrypoint.span == FROM_SPAN
    assert inherited.cmd is not None and inherited.cmd.form is CommandForm.EXEC
    assert inherited.workdir == "/app"
    assert inherited.shell == ("/bin/sh", "-c")


def test_no_engine_means_none_fast_and_silent(tmp_path: Path) -> None:
    # A fresh process whose DOCKER_HOST points at a socket nobody listens on.
    code = (
        "import time; from initlint.engine.base_facts import local_image_facts as f; "
        "t = time.monotonic(); r = f('initlint-test/debian-python:12'); "
        "print(r, round(time.monotonic() - t, 3))"
    )
    env = {**os.environ, "DOCKER_HOST": f"unix://{tmp_path}/nothing.sock"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    answer, seconds = result.stdout.split()
    assert answer == "None"
    assert float(seconds) < 1.0

"""The repository's Dockerfile: initlint as an image, built FROM the local Debian base with no
network (its wheels are put in the build context), run on a mounted folder.

The wheels (initlint's, built from this tree, and its dependencies for the base image's
Python) are fetched once per machine into the test cache, as the pre-commit test does.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import docker
import pytest

from tests.support import skip_or_fail
from tests.test_precommit import REPO_ROOT, WHEELHOUSE_ROOT, requirements, wheelhouse

pytestmark = [pytest.mark.docker, pytest.mark.slow]
IMAGE = "initlint-test/initlint:dev"


def image_python(client: docker.DockerClient, base: str) -> str:
    """``311`` for the base image's python3 3.11."""
    output = client.containers.run(
        base,
        ["python3", "-c", "import sys; print(f'{sys.version_info[0]}{sys.version_info[1]}')"],
        network_mode="none",
        remove=True,
    )
    return bytes(output).decode().strip()


def dependency_wheels(python: str) -> Path:
    """initlint's runtime dependencies as binary wheels for CPython ``python`` on x86-64."""
    wanted = [r for r in requirements() if not r.startswith(("setuptools", "wheel"))]
    key = hashlib.sha256(json.dumps([python, *wanted]).encode()).hexdigest()[:16]
    folder = WHEELHOUSE_ROOT / f"image-wheels-{key}"
    stamp = folder / ".complete"
    if not stamp.exists():
        folder.mkdir(parents=True, exist_ok=True)
        platforms = ["manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"]
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--dest", str(folder)]
        command += ["--only-binary=:all:", "--python-version", python, "--implementation", "cp"]
        for platform in platforms:
            command += ["--platform", platform]
        result = subprocess.run(
            [*command, *wanted], capture_output=True, text=True, timeout=900, check=False
        )
        if result.returncode != 0:
            skip_or_fail(f"cannot download the image's wheels: {result.stderr[-800:]}")
        stamp.write_text("\n".join(wanted) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def initlint_image(
    docker_client: docker.DockerClient,
    debian_python_image: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> str:
    context = tmp_path_factory.mktemp("image-context")
    shutil.copy(REPO_ROOT / "Dockerfile", context / "Dockerfile")
    wheels = context / "wheels"
    shutil.copytree(dependency_wheels(image_python(docker_client, debian_python_image)), wheels)
    (wheels / ".complete").unlink()
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheelhouse())}
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(wheels), "."],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    docker_client.images.build(
        path=str(context),
        tag=IMAGE,
        buildargs={"BASE_IMAGE": debian_python_image},
        network_mode="none",
        rm=True,
        forcerm=True,
    )
    return IMAGE


def test_image_lints_a_mounted_folder(
    docker_client: docker.DockerClient, initlint_image: str, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    (project / "svc").mkdir(parents=True)
    (project / "svc" / "Dockerfile").write_text("FROM debian:12\nCMD python3 /app.py\n")
    (project / "ok.Dockerfile").write_text('FROM debian:12\nCMD ["sleep", "1"]\n')
    container = docker_client.containers.run(
        initlint_image,
        network_mode="none",
        volumes={str(project): {"bind": "/src", "mode": "ro"}},
        environment={"NO_COLOR": "1"},
        detach=True,
    )
    try:
        status = container.wait(timeout=120)
        output = container.logs().decode()
    finally:
        container.remove(force=True)
    assert status["StatusCode"] == 1, output  # initlint's exit status, passed on by the init
    assert "svc/Dockerfile:2:1: IL102 [error] [*] CMD is in shell form" in output, output
    assert "Found 1 finding (1 error, 0 warnings, 0 info) in 1 of 2 files." in output, output


def test_image_runs_the_bundled_init_as_pid1(
    docker_client: docker.DockerClient, initlint_image: str
) -> None:
    config = docker_client.images.get(initlint_image).attrs["Config"]
    assert config["Entrypoint"][:5] == ["python3", "-I", "-S", "/usr/local/bin/initlint-init", "--"]
    version = docker_client.containers.run(
        initlint_image, ["--version"], network_mode="none", remove=True
    )
    from initlint import __version__

    assert bytes(version).decode() == f"initlint {__version__}\n"


def test_the_dockerfile_passes_its_own_lint() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "initlint", "--no-color", "Dockerfile"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "No findings in 1 file.\n"

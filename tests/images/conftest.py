"""Fixture images for the image loader, the probe and the agreement test, built once a session.

Each context in tests/fixtures/images (FROM one of the two local base images) is copied to a
temporary folder (the contexts that run the bundled init get `initlint-init`, a copy of
initlint/init.py, there) and built with the legacy builder, without network or pulling.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import docker
import pytest

from tests.support.docker_env import build_image

REPO_ROOT = Path(__file__).resolve().parents[2]
CONTEXTS = REPO_ROOT / "tests" / "fixtures" / "images"
BUNDLED_INIT = REPO_ROOT / "initlint" / "init.py"
NEEDS_INIT = frozenset({"with_init", "spawning_with_init"})

ImageBuilder = Callable[[str], str]


def image_tag(name: str) -> str:
    return f"initlint-test/images-{name.replace('_', '-')}:latest"


@pytest.fixture(scope="session")
def fixture_image(
    docker_client: docker.DockerClient,
    debian_python_image: str,
    busybox_image: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> ImageBuilder:
    """``fixture_image("shell_form")`` builds that context (once) and returns its tag."""
    built: dict[str, str] = {}

    def build(name: str) -> str:
        if name not in built:
            context = tmp_path_factory.mktemp(f"image-{name}") / name
            shutil.copytree(CONTEXTS / name, context, symlinks=True)
            if name in NEEDS_INIT:
                shutil.copy2(BUNDLED_INIT, context / "initlint-init")
            tag = image_tag(name)
            build_image(docker_client, context, tag)
            built[name] = tag
        return built[name]

    return build

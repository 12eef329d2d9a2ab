"""What a loader says about where a runtime's app files are: the build context a rule's
evidence is read from (:mod:`initlint.evidence.runtimes` reads it)."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from initlint.model import RuntimeSpec
from initlint.sources.dockerfile import DockerfileModel


class AppFiles(NamedTuple):
    """The app's files on disk and how they land in the container.

    Either a Dockerfile whose COPY/ADD put them into the image (``model``, with the spec of
    its target stage), or bind mounts from the project folder (``mounts``), as compose
    services that run a stock image with the code mounted in do.
    """

    root: Path  # the build context, or the folder bind-mount sources are relative to
    model: DockerfileModel | None = None
    dockerfile_spec: RuntimeSpec | None = None  # the Dockerfile's target stage, as built
    mounts: tuple[tuple[str, str], ...] = ()  # (source relative to root, target path)
    workdir: str = "/"  # for mounts: the container's working directory

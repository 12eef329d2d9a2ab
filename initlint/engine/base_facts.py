"""Base-image facts from the local engine, for the Dockerfile loader.

``local_image_facts(reference)`` returns the facts of a base image read from the local Docker
engine (its config and file system), or None when there is no engine, no docker SDK, or no
such image: the loader then falls back to the name-based guesses, silently.

It is cheap when there is nothing to ask: without ``DOCKER_HOST`` and without a socket at the
default path the SDK is not even imported. An image id names immutable content, so facts are
cached on disk by id (``$XDG_CACHE_HOME/initlint/images``) and a later run costs one inspect.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from initlint.engine.images import (
    EngineUnavailable,
    ImageConfig,
    LocalImageFacts,
    connect,
    read_image_facts,
)
from initlint.model import ImageFacts, ShellFamily

if TYPE_CHECKING:
    import docker

DEFAULT_SOCKET = "/var/run/docker.sock"
CACHE_VERSION = 1
# A base-image lookup must never make linting feel slow: a remote engine gets this long.
CONNECT_TIMEOUT_SECONDS = 5.0

_lock = threading.Lock()
_client: docker.DockerClient | None = None
_engine_checked = False
_memory: dict[str, LocalImageFacts | None] = {}


def engine_configured() -> bool:
    """Whether a Docker engine could be there at all (without importing the SDK)."""
    if os.environ.get("DOCKER_HOST"):
        return True
    return os.path.exists(DEFAULT_SOCKET) or bool(os.environ.get("DOCKER_CONTEXT"))


def _engine() -> docker.DockerClient | None:
    global _client, _engine_checked
    if _engine_checked:
        return _client
    _engine_checked = True
    if not engine_configured():
        return None
    try:
        _client = connect(timeout=CONNECT_TIMEOUT_SECONDS)
    except EngineUnavailable:
        _client = None
    return _client


def local_image_facts(reference: str | None) -> LocalImageFacts | None:
    """Facts of ``reference`` from the local engine; None when it cannot tell."""
    if not reference or reference == "scratch":
        return None
    with _lock:
        if reference in _memory:
            return _memory[reference]
        facts = _lookup(reference)
        _memory[reference] = facts
        return facts


def _lookup(reference: str) -> LocalImageFacts | None:
    client = _engine()
    if client is None:
        return None
    try:
        attrs = client.api.inspect_image(reference)
    except Exception:
        return None  # not there (never pulled here), or the engine went away
    config = ImageConfig.from_inspect(reference, attrs)
    cached = _read_cache(config)
    if cached is not None:
        return cached
    try:
        facts, _ = read_image_facts(client, config)
    except Exception:
        return None
    _write_cache(facts)
    return facts


def reset() -> None:
    """Forget the engine and the facts seen in this process (tests; after --no-docker flips)."""
    global _client, _engine_checked
    with _lock:
        if _client is not None:
            with contextlib.suppress(Exception):
                _client.close()
        _client = None
        _engine_checked = False
        _memory.clear()


# --- on-disk cache by image id ---------------------------------------------------------


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "initlint" / "images"


def _cache_path(image_id: str) -> Path:
    return cache_dir() / f"{image_id.replace(':', '-')}.json"


def _read_cache(config: ImageConfig) -> LocalImageFacts | None:
    if not config.image_id:
        return None
    try:
        data = json.loads(_cache_path(config.image_id).read_text())
        if data.get("version") != CACHE_VERSION:
            return None
        facts = ImageFacts(
            shell=ShellFamily(data["shell"]),
            has_python3=data["has_python3"],
            package_manager=data["package_manager"],
            stop_signal=config.stop_signal,
            note=data["note"],
            entrypoint=config.entrypoint or (),
        )
        return LocalImageFacts(
            facts,
            config=config,
            sh_target=data["sh_target"],
            programs=dict(data["programs"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_cache(facts: LocalImageFacts) -> None:
    if not facts.config.image_id:
        return
    data: dict[str, Any] = {
        "version": CACHE_VERSION,
        "shell": facts.facts.shell.value,
        "has_python3": facts.facts.has_python3,
        "package_manager": facts.facts.package_manager,
        "note": facts.facts.note,
        "sh_target": facts.sh_target,
        "programs": facts.programs,
    }
    path = _cache_path(facts.config.image_id)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", dir=path.parent, prefix=".tmp-", suffix=".json", delete=False
        ) as handle:
            json.dump(data, handle)
        os.replace(handle.name, path)
    except OSError:
        return  # a read-only home: no cache, same answers

"""Built images in the local engine: the config, and facts and files read from the file system
(the loader in :mod:`initlint.sources.image` turns them into a RuntimeSpec).

The image is never run. Its config comes from ``docker image inspect``; its file system is read
through a created (never started) container and the archive API: a HEAD request stats a path
(the engine resolves symlinks inside the container's root, so ``/bin/sh`` comes back as
``/usr/bin/dash``), a GET fetches the few small text files the rules look at (entrypoint
scripts, the app's sources). The container is removed however inspection ends.

The docker SDK is imported lazily: linting Dockerfiles never needs it.
"""

from __future__ import annotations

import atexit
import base64
import binascii
import contextlib
import io
import json
import posixpath
import shlex
import shutil
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from initlint.errors import InputError
from initlint.knowledge.images import ImageFacts
from initlint.knowledge.programs import Role, lookup, program_name
from initlint.model import (
    ShellFamily,
    Span,
)

if TYPE_CHECKING:
    import docker

DEFAULT_SHELL = ("/bin/sh", "-c")
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
INSPECT_LABEL = "initlint.inspect"
BASE_NAME_LABEL = "org.opencontainers.image.base.name"
# Programs whose presence decides an init strategy or an IL203 verdict, looked up on PATH.
PROGRAMS_ON_PATH = (
    "python3",
    "tini",
    "dumb-init",
    "initlint-init",
)
# Where each package manager lives in its distributions (first found wins).
PACKAGE_MANAGERS = (
    ("apk", "/sbin/apk"),
    ("apt", "/usr/bin/apt-get"),
    ("microdnf", "/usr/bin/microdnf"),
    ("dnf", "/usr/bin/dnf"),
    ("yum", "/usr/bin/yum"),
    ("zypper", "/usr/bin/zypper"),
    ("pacman", "/usr/bin/pacman"),
)
# Where Dockerfiles commonly put an init that is not on PATH (tini's README: ADD ... /tini).
EXTRA_INIT_PATHS = ("/tini",)
SCRIPT_SUFFIXES = (".sh", ".bash", ".py", ".js", ".mjs", ".cjs", ".rb", ".pl")
MAX_SCRIPT_BYTES = 1024 * 1024
# A folder next to a Python entry file is fetched (for local imports) up to this size.
MAX_APP_TREE_BYTES = 4 * 1024 * 1024
SYSTEM_DIRS = frozenset(
    {"/", "/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin", "/etc"}
)
_GO_MODE_DIR = 1 << 31
_GO_MODE_SYMLINK = 1 << 27
_GO_MODE_TYPE = 0xFF << 24  # dir, append, exclusive, temporary, symlink, device, pipe, socket


def image_span(reference: str) -> Span:
    """Where findings about an image point: the image itself, there being no file."""
    return Span(path=f"image:{reference}", line=1, column=1, end_line=1, end_column=1)


class PathStat(NamedTuple):
    """What the engine says about a path in the container's file system (symlinks resolved)."""

    path: str
    size: int
    mode: int  # Go os.FileMode bits, as the engine sends them
    link_target: str  # the resolved path when ``path`` is a symlink, else ""

    @property
    def is_dir(self) -> bool:
        return bool(self.mode & _GO_MODE_DIR)

    @property
    def is_symlink(self) -> bool:
        return bool(self.mode & _GO_MODE_SYMLINK)

    @property
    def is_regular(self) -> bool:
        return not self.mode & _GO_MODE_TYPE


class ImageConfig(NamedTuple):
    """The parts of an image's config that decide what PID 1 is and how it is stopped."""

    reference: str
    image_id: str
    entrypoint: tuple[str, ...] | None
    cmd: tuple[str, ...] | None
    shell: tuple[str, ...] | None  # SHELL as set in the Dockerfile; None: the default
    stop_signal: str | None
    user: str | None
    working_dir: str
    env: dict[str, str]
    labels: dict[str, str]
    healthcheck: dict[str, Any] | None = None
    repo_tags: tuple[str, ...] = ()

    @property
    def path_dirs(self) -> tuple[str, ...]:
        path = self.env.get("PATH", DEFAULT_PATH)
        return tuple(d for d in path.split(":") if d.startswith("/"))

    @classmethod
    def from_inspect(cls, reference: str, attrs: dict[str, Any]) -> ImageConfig:
        config = attrs.get("Config") or {}
        env: dict[str, str] = {}
        for item in config.get("Env") or ():
            key, _, value = str(item).partition("=")
            env[key] = value
        return cls(
            reference=reference,
            image_id=str(attrs.get("Id", "")),
            entrypoint=_words_or_none(config.get("Entrypoint")),
            cmd=_words_or_none(config.get("Cmd")),
            shell=_words_or_none(config.get("Shell")),
            stop_signal=config.get("StopSignal") or None,
            user=config.get("User") or None,
            working_dir=config.get("WorkingDir") or "/",
            env=env,
            labels=dict(config.get("Labels") or {}),
            healthcheck=config.get("Healthcheck") or None,
            repo_tags=tuple(attrs.get("RepoTags") or ()),
        )


def _words_or_none(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    return tuple(str(word) for word in value)  # type: ignore[attr-defined]


class LocalImageFacts(NamedTuple):
    """ImageFacts read from a local image instead of guessed from its name.

    ``facts`` is a drop-in for the name-based facts (same fields, same meaning); the other
    fields are what only the real image can tell: its config and where its programs are.
    """

    facts: ImageFacts
    config: ImageConfig
    sh_target: str | None  # what /bin/sh resolves to; None: there is no /bin/sh
    programs: dict[str, str]  # name -> path in the image

    @property
    def inits(self) -> tuple[str, ...]:
        """The inits installed in the image, by program name."""
        names = ("tini", "dumb-init", "initlint-init")
        return tuple(name for name in names if name in self.programs)


def shell_family_of_target(target: str | None) -> ShellFamily:
    """Which family /bin/sh belongs to, from the path it resolves to."""
    if target is None:
        return ShellFamily.NONE
    name = posixpath.basename(target)
    if name.startswith("dash"):
        return ShellFamily.DASH
    if name.startswith("bash"):
        return ShellFamily.BASH
    if name in ("busybox", "ash", "busybox.static") or name.startswith("busybox"):
        return ShellFamily.ASH
    return ShellFamily.UNKNOWN


class EngineUnavailable(Exception):
    """No Docker engine answers (or the docker SDK is not installed); the message says why."""


def connect(timeout: float = 30.0) -> docker.DockerClient:
    """The engine the Docker CLI would use (``DOCKER_HOST``, ``DOCKER_*`` variables)."""
    try:
        import docker
    except ImportError as error:
        raise EngineUnavailable(
            "the docker Python package is not installed (pip install docker)"
        ) from error
    try:
        client = docker.from_env(timeout=int(timeout))
        client.ping()
    except Exception as error:
        raise EngineUnavailable(_engine_problem(error)) from error
    return client


def _engine_problem(error: BaseException) -> str:
    """One line a user can act on, not the SDK's nested exception text."""
    import os

    host = os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"
    cause: BaseException | None = error
    reason = ""
    for _ in range(10):  # the OSError at the bottom of the SDK's exception chain
        if cause is None:
            break
        if isinstance(cause, OSError) and cause.strerror:
            reason = cause.strerror
        for arg in getattr(cause, "args", ()):
            if isinstance(arg, BaseException) and not reason:
                inner = arg.args[-1] if arg.args else None
                if isinstance(arg, OSError) and arg.strerror:
                    reason = arg.strerror
                elif isinstance(inner, OSError) and inner.strerror:
                    reason = inner.strerror
        cause = cause.__cause__ or cause.__context__
    if not reason:
        reason = " ".join(str(error).split())[:200] or type(error).__name__
    return (
        f"no Docker engine answers at {host}: {reason} "
        "(start the engine, or point DOCKER_HOST at one)"
    )


class ImageFilesystem:
    """Reads an image's file system through a created, never started, container."""

    def __init__(self, client: docker.DockerClient, image_id: str) -> None:
        self._api = client.api
        self._image_id = image_id
        self._container_id: str | None = None

    def __enter__(self) -> ImageFilesystem:
        # The entrypoint is never run; it only has to be set for images without one.
        created = self._api.create_container(
            self._image_id,
            entrypoint=["/initlint-inspect-never-runs"],
            command=[],
            labels={INSPECT_LABEL: "1"},
            network_disabled=True,
        )
        self._container_id = str(created["Id"])
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._container_id is not None:
            with contextlib.suppress(Exception):
                self._api.remove_container(self._container_id, force=True)
            self._container_id = None

    @property
    def container_id(self) -> str:
        if self._container_id is None:
            raise RuntimeError("ImageFilesystem used outside its with block")
        return self._container_id

    def stat(self, path: str) -> PathStat | None:
        """The path's stat, or None when it does not exist."""
        response = self._api.head(
            self._api._url("/containers/{0}/archive", self.container_id),
            params={"path": path},
        )
        if response.status_code == 404:
            return None
        if response.status_code >= 400:
            return None  # e.g. a path through a file: not there either
        header = response.headers.get("X-Docker-Container-Path-Stat")
        if not header:
            return None
        try:
            stat = json.loads(base64.b64decode(header))
        except (binascii.Error, ValueError):
            return None
        return PathStat(path, int(stat.get("size", 0)), int(stat.get("mode", 0)),
                        str(stat.get("linkTarget") or ""))  # fmt: skip

    def extract(self, path: str, destination: Path, max_bytes: int) -> list[str]:
        """Copy the regular text files at or under ``path`` to ``destination`` + their path.

        Stops reading (keeping what it has) once ``max_bytes`` have been received. Returns the
        image paths written.
        """
        from docker.errors import APIError, NotFound

        try:
            chunks, _stat = self._api.get_archive(self.container_id, path, chunk_size=65536)
            data = bytearray()
            for chunk in chunks:
                data.extend(chunk)
                if len(data) > max_bytes:
                    break
        except (NotFound, APIError):
            return []
        written: list[str] = []
        parent = posixpath.dirname(path.rstrip("/")) or "/"
        with tarfile.open(fileobj=io.BytesIO(bytes(data)), mode="r:") as archive:
            while True:
                try:
                    member = archive.next()
                except (tarfile.TarError, EOFError):
                    break  # truncated at max_bytes: keep the complete members
                if member is None:
                    break
                if not member.isfile() or member.size > MAX_SCRIPT_BYTES:
                    continue
                image_path = posixpath.normpath(posixpath.join(parent, member.name))
                if not image_path.startswith("/") or "/../" in f"{image_path}/":
                    continue
                try:
                    handle = archive.extractfile(member)
                    content = handle.read() if handle is not None else None
                except (tarfile.TarError, EOFError):
                    break
                if content is None or b"\0" in content[:8192]:
                    continue  # binaries say nothing the rules read
                target = destination / image_path.lstrip("/")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
                written.append(image_path)
        return written


class ImageInspection(NamedTuple):
    """Everything read from one local image: config, file-system facts, copied app files."""

    config: ImageConfig
    facts: LocalImageFacts
    # a folder holding the copied files at their image paths (/app/main.py -> files_root/app/
    # main.py): the "build context" of an image for app evidence; None when nothing was copied
    files_root: str | None = None
    copied_files: tuple[str, ...] = ()


def read_image_facts(
    client: docker.DockerClient,
    config: ImageConfig,
    extract_to: Path | None = None,
) -> tuple[LocalImageFacts, tuple[str, ...]]:
    """The file-system facts of an image (and, with ``extract_to``, its app files copied).

    Every stat is a round trip in which the engine mounts the container's file system (about
    5 ms, and the engine serialises them), so the lookups stop at the first hit.
    """
    with ImageFilesystem(client, config.image_id) as filesystem:
        sh = filesystem.stat("/bin/sh")
        sh_target = None if sh is None else (sh.link_target or "/bin/sh")
        shell = shell_family_of_target(sh_target)
        path_dirs = _distinct_dirs(filesystem, config.path_dirs)
        programs: dict[str, str] = {}
        for name in PROGRAMS_ON_PATH:
            found = _which(filesystem, name, path_dirs)
            if found is not None:
                programs[name] = found
        for path in EXTRA_INIT_PATHS:
            name = posixpath.basename(path)
            if name not in programs and _is_file(filesystem.stat(path)):
                programs[name] = path
        package_manager = _package_manager(filesystem, shell)
        copied: tuple[str, ...] = ()
        if extract_to is not None:
            copied = _copy_app_files(filesystem, config, path_dirs, extract_to)
    notes = [f"/bin/sh -> {sh_target}" if sh_target else "no /bin/sh"]
    if programs:
        notes.append("has " + ", ".join(sorted(programs)))
    facts = LocalImageFacts(
        ImageFacts(
            shell=shell,
            has_python3="python3" in programs,
            package_manager=package_manager,
            stop_signal=config.stop_signal,
            note=f"local image {config.image_id[:19]}: " + "; ".join(notes),
            entrypoint=config.entrypoint or (),
        ),
        config=config,
        sh_target=sh_target,
        programs=programs,
    )
    return facts, copied


def _is_file(stat: PathStat | None) -> bool:
    return stat is not None and not stat.is_dir


def _which(filesystem: ImageFilesystem, name: str, path_dirs: Sequence[str]) -> str | None:
    for folder in path_dirs:
        path = posixpath.join(folder, name)
        if _is_file(filesystem.stat(path)):
            return path
    return None


def _package_manager(filesystem: ImageFilesystem, shell: ShellFamily) -> str | None:
    # busybox images are most likely Alpine (apk), the rest most likely Debian (apt)
    likely_first = sorted(
        PACKAGE_MANAGERS, key=lambda row: row[0] != ("apk" if shell is ShellFamily.ASH else "apt")
    )
    for name, path in likely_first:
        if _is_file(filesystem.stat(path)):
            return name
    return None


def _distinct_dirs(filesystem: ImageFilesystem, dirs: Sequence[str]) -> list[str]:
    """PATH folders that exist, minus those that are symlinks to one already listed."""
    stats = {d: filesystem.stat(d) for d in dict.fromkeys(dirs)}
    distinct: list[str] = []
    seen: set[str] = set()
    for d in dirs:
        stat = stats.get(d)
        if stat is None:
            continue
        real = stat.link_target or d
        if real in seen:
            continue
        seen.add(real)
        distinct.append(real)
    return distinct


def _copy_app_files(
    filesystem: ImageFilesystem,
    config: ImageConfig,
    path_dirs: Sequence[str],
    destination: Path,
) -> tuple[str, ...]:
    """Copy the scripts and sources the PID 1 argv names (and a Python app's folder)."""
    argv = _effective_argv(config)
    candidates = _candidate_paths(argv, config.working_dir, path_dirs)
    stats = {path: filesystem.stat(path) for path in candidates}
    copied: list[str] = []
    for path in candidates:
        stat = stats.get(path)
        if stat is None:
            continue
        real = stat.link_target or path
        if stat.is_dir or (stat.link_target and real.endswith("/")):
            continue
        folder = posixpath.dirname(real)
        if real.endswith(".py") and folder not in SYSTEM_DIRS:
            copied += filesystem.extract(folder, destination, MAX_APP_TREE_BYTES)
        elif stat.size <= MAX_SCRIPT_BYTES or stat.is_symlink:
            copied += filesystem.extract(real, destination, MAX_SCRIPT_BYTES)
        if real != path and real in copied:
            # keep the name the argv uses too, so evidence finds it by that name
            _link_copy(destination, path, real)
    return tuple(dict.fromkeys(copied))


def _link_copy(root: Path, alias: str, real: str) -> None:
    target = root / alias.lstrip("/")
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        shutil.copyfile(root / real.lstrip("/"), target)


def _effective_argv(config: ImageConfig) -> tuple[str, ...]:
    entrypoint = config.entrypoint or ()
    return entrypoint + (config.cmd or ())


def _candidate_paths(argv: Sequence[str], working_dir: str, path_dirs: Sequence[str]) -> list[str]:
    """Image paths that argv words may name: programs (looked up on PATH) and files."""
    words = list(argv)
    for word in argv:
        # a ``sh -c`` string: its words may name the app too
        if " " in word:
            with contextlib.suppress(ValueError):
                words += [w for w in shlex.split(word) if w not in ("&&", "||", ";", "|")]
    candidates: list[str] = []
    for word in words:
        if not word or word.startswith("-") or "=" in word or "$" in word:
            continue
        program = lookup(word)
        if program is not None and program.role in (Role.SHELL, Role.INTERPRETER, Role.INIT):
            continue  # a binary: nothing the rules read
        if word.startswith("/"):
            candidates.append(posixpath.normpath(word))
        elif "/" in word or word.endswith(SCRIPT_SUFFIXES):
            candidates.append(posixpath.normpath(posixpath.join(working_dir or "/", word)))
            if "/" not in word:
                candidates += [posixpath.join(d, word) for d in path_dirs]
        elif program_name(word) == word and word.replace("-", "").replace("_", "").isalnum():
            candidates += [posixpath.join(d, word) for d in path_dirs]
    return list(dict.fromkeys(candidates))


# --- entry points -----------------------------------------------------------------------------

_files_roots: list[str] = []


def _remove_files_roots() -> None:
    for root in _files_roots:
        shutil.rmtree(root, ignore_errors=True)


atexit.register(_remove_files_roots)


def _new_files_root() -> Path:
    root = tempfile.mkdtemp(prefix="initlint-image-")
    _files_roots.append(root)
    return Path(root)


def get_local_image(client: docker.DockerClient, reference: str, pull: bool) -> dict[str, Any]:
    """The image's inspect data; InputError when it is not in the engine (and not pulled)."""
    import docker.errors

    try:
        return dict(client.api.inspect_image(reference))
    except docker.errors.ImageNotFound:
        if not pull:
            raise InputError(
                reference,
                "image not found in the local engine (initlint never pulls unless --pull is given)",
            ) from None
    except docker.errors.APIError as error:
        raise InputError(reference, f"cannot inspect image: {error.explanation or error}") from None
    try:
        client.images.pull(reference)
        return dict(client.api.inspect_image(reference))
    except docker.errors.APIError as error:
        raise InputError(reference, f"cannot pull image: {error.explanation or error}") from None


def inspect_image(
    client: docker.DockerClient, reference: str, pull: bool = False, copy_files: bool = True
) -> ImageInspection:
    """Config and file-system facts of a local image (pulled first when ``pull``)."""
    attrs = get_local_image(client, reference, pull)
    config = ImageConfig.from_inspect(reference, attrs)
    root = _new_files_root() if copy_files else None
    try:
        facts, copied = read_image_facts(client, config, root)
    except InputError:
        raise
    except Exception as error:
        raise InputError(reference, f"cannot read the image's files: {error}") from None
    return ImageInspection(
        config=config,
        facts=facts,
        files_root=str(root) if root is not None and copied else None,
        copied_files=copied,
    )

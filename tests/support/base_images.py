"""Local base images for the container tests, built once per engine and never pulled.

No registry is reachable from the test machines, so the base images are made from what Debian
itself provides: a debootstrap root file system with python3, and one made of the busybox-static
binary. Each is imported with `docker import`; the finished root file system tarball is cached
under STATE_DIR/cache so a fresh engine data root only costs the import.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import docker
import docker.errors

from .docker_env import STATE_DIR, exclusive_lock

DEBIAN_PYTHON_IMAGE = "initlint-test/debian-python:12"
BUSYBOX_IMAGE = "initlint-test/busybox:latest"

CACHE_DIR = STATE_DIR / "cache"
DEBIAN_SUITE = "bookworm"
DEFAULT_DEBIAN_MIRROR = "http://deb.debian.org/debian"
BUSYBOX_BINARY = Path("/bin/busybox")
IMAGE_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# What a container never needs from a Debian root file system; dropping it roughly halves the size.
DEBIAN_TRIM_PATHS = (
    "var/lib/apt/lists",
    "var/cache/apt",
    "var/cache/debconf/templates.dat-old",
    "var/log",
    "usr/share/doc",
    "usr/share/man",
    "usr/share/info",
    "usr/share/locale",
    "usr/share/lintian",
    "usr/share/common-licenses",
    "dev",
)


class BaseImageFailed(Exception):
    """A base image could not be built; the message says which step failed and its output."""


def debian_mirror(
    sources_files: tuple[Path, ...] = (
        Path("/etc/apt/sources.list.d/debian.sources"),
        Path("/etc/apt/sources.list"),
    ),
) -> str:
    """The machine's configured Debian mirror for the main archive (not the security one)."""
    for path in sources_files:
        try:
            text = path.read_text()
        except OSError:
            continue
        mirror = _mirror_from_deb822(text) if path.suffix == ".sources" else _mirror_from_list(text)
        if mirror:
            return mirror
    return DEFAULT_DEBIAN_MIRROR


def _mirror_from_deb822(text: str) -> str | None:
    for stanza in re.split(r"\n\s*\n", text):
        fields: dict[str, str] = {}
        for line in stanza.splitlines():
            if line.startswith("#") or ":" not in line or line[:1].isspace():
                continue
            key, _, value = line.partition(":")
            fields[key.strip().lower()] = value.strip()
        suites = fields.get("suites", "").split()
        if "deb" in fields.get("types", "").split() and DEBIAN_SUITE in suites:
            uris = fields.get("uris", "").split()
            if uris:
                return uris[0]
    return None


def _mirror_from_list(text: str) -> str | None:
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 3 and words[0] == "deb":
            if words[1].startswith("["):  # options like [signed-by=...]
                while words and not words[0].endswith("]"):
                    words.pop(0)
                words = ["deb", *words[1:]]
            if len(words) >= 3 and words[2] == DEBIAN_SUITE:
                return words[1]
    return None


def ensure_debian_python_image(client: docker.DockerClient) -> str:
    """Build initlint-test/debian-python:12 unless the engine has it; return the tag."""
    return _ensure_image(client, DEBIAN_PYTHON_IMAGE, "debian-python-12", _debian_python_rootfs)


def ensure_busybox_image(client: docker.DockerClient) -> str:
    """Build initlint-test/busybox:latest unless the engine has it; return the tag."""
    return _ensure_image(client, BUSYBOX_IMAGE, "busybox", _busybox_rootfs)


def _image_exists(client: docker.DockerClient, tag: str) -> bool:
    try:
        client.images.get(tag)
    except docker.errors.ImageNotFound:
        return False
    return True


def _ensure_image(
    client: docker.DockerClient,
    tag: str,
    cache_name: str,
    make_rootfs: Callable[[Path], None],
) -> str:
    if _image_exists(client, tag):
        return tag
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    # Concurrent test sessions share the engine: only one of them builds.
    with exclusive_lock(CACHE_DIR / f"{cache_name}.lock"):
        if _image_exists(client, tag):
            return tag
        tarball = CACHE_DIR / f"{cache_name}.tar"
        if not tarball.exists():
            with tempfile.TemporaryDirectory(dir=CACHE_DIR, prefix=f"{cache_name}-") as work:
                rootfs = Path(work) / "rootfs"
                rootfs.mkdir()
                started = time.monotonic()
                try:
                    make_rootfs(rootfs)
                finally:
                    # A failed debootstrap can leave /proc, /sys or bind-mounted host devices
                    # mounted in the target; removing the directory must never reach into those.
                    _unmount_everything_under(Path(work))
                partial = Path(work) / "rootfs.tar"
                _tar_directory(rootfs, partial)
                os.replace(partial, tarball)
                _note(f"built {tarball} in {time.monotonic() - started:.1f} s")
        started = time.monotonic()
        _import_tarball(client, tarball, tag)
        _note(f"imported {tag} in {time.monotonic() - started:.1f} s")
    return tag


def _note(message: str) -> None:
    # Visible with `pytest -s`; a cold build takes minutes and should not look like a hang.
    print(f"[base_images] {message}", flush=True)


def _run_step(command: list[str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        output = (result.stdout + result.stderr)[-4000:]
        raise BaseImageFailed(
            f"{what} failed (`{' '.join(command)}`, exit {result.returncode}):\n{output}"
        )


def _debian_python_rootfs(rootfs: Path) -> None:
    if os.geteuid() != 0:
        raise BaseImageFailed("debootstrap needs root")
    if not shutil.which("debootstrap"):
        raise BaseImageFailed("debootstrap is not installed (run scripts/system-deps.sh as root)")
    # python3 (not python3-minimal): the tests' apps and the bundled init use ctypes, asyncio,
    # multiprocessing, which only the full standard library has.
    _run_step(
        [
            "debootstrap",
            "--variant=minbase",
            "--include=python3",
            DEBIAN_SUITE,
            str(rootfs),
            debian_mirror(),
        ],
        "debootstrap",
    )
    for relative in DEBIAN_TRIM_PATHS:
        target = rootfs / relative
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
            target.mkdir()
    (rootfs / "var/lib/apt/lists/partial").mkdir(parents=True, exist_ok=True)
    (rootfs / "var/cache/apt/archives/partial").mkdir(parents=True, exist_ok=True)
    sh = rootfs / "bin/sh"
    if os.readlink(sh) != "dash":
        raise BaseImageFailed(f"/bin/sh in the Debian root file system is {os.readlink(sh)}")


def _busybox_rootfs(rootfs: Path) -> None:
    if not BUSYBOX_BINARY.exists():
        raise BaseImageFailed(
            f"{BUSYBOX_BINARY} is missing (install busybox-static: scripts/system-deps.sh)"
        )
    for directory in (
        "bin",
        "sbin",
        "usr/bin",
        "usr/sbin",
        "etc",
        "tmp",
        "root",
        "proc",
        "sys",
        "dev",
        "var",
    ):
        (rootfs / directory).mkdir(parents=True, exist_ok=True)
    (rootfs / "tmp").chmod(0o1777)
    shutil.copy2(BUSYBOX_BINARY, rootfs / "bin/busybox")
    listing = subprocess.run(
        [str(BUSYBOX_BINARY), "--list-full"], capture_output=True, text=True, check=True
    )
    for applet_path in listing.stdout.split():
        link = rootfs / applet_path
        if link.name == "busybox" or link.exists() or link.is_symlink():
            continue
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to("/bin/busybox")
    (rootfs / "etc/passwd").write_text(
        "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"
    )
    (rootfs / "etc/group").write_text("root:x:0:\nnogroup:x:65534:\n")


def _unmount_everything_under(directory: Path) -> None:
    prefix = str(directory.resolve()) + "/"
    mount_points = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        mount_point = line.split()[4].replace("\\040", " ")
        if mount_point.startswith(prefix):
            mount_points.append(mount_point)
    for mount_point in sorted(mount_points, key=len, reverse=True):
        subprocess.run(["umount", "--lazy", mount_point], capture_output=True, check=False)


def _tar_directory(rootfs: Path, tarball: Path) -> None:
    _run_step(
        ["tar", "--numeric-owner", "--xattrs", "-C", str(rootfs), "-cf", str(tarball), "."],
        "packing the root file system",
    )


def _import_tarball(client: docker.DockerClient, tarball: Path, tag: str) -> None:
    repository, _, version = tag.rpartition(":")
    try:
        client.api.import_image_from_file(
            str(tarball), repository=repository, tag=version, changes=[f"ENV {IMAGE_PATH}"]
        )
    except docker.errors.APIError as error:
        raise BaseImageFailed(f"docker import of {tarball} as {tag} failed: {error}") from error
    if not _image_exists(client, tag):
        raise BaseImageFailed(f"docker import of {tarball} reported success but {tag} is missing")


if __name__ == "__main__":
    # `python -m tests.support.base_images`: build both base images by hand, timing each.
    from .docker_env import connect_docker

    engine = connect_docker()
    for ensure in (ensure_busybox_image, ensure_debian_python_image):
        started = time.monotonic()
        tag = ensure(engine)
        print(f"{tag}: ready in {time.monotonic() - started:.1f} s")

"""The truth matrix's base images, derived locally from the test base images (no registry).

- ``dash``: the debootstrap Debian with python3; /bin/sh is dash.
- ``bash``: the same with /bin/sh pointing at bash (derived with one ``RUN ln``).
- ``busybox``: the busybox-static image; /bin/sh is busybox ash.
- ``java``: the Debian one plus a jlink'd Java runtime and a compiled ``Main`` class, only when
  a JDK with ``jlink`` and ``javac`` is on this machine.

Every flavour also carries tini (static), dumb-init and, where python3 is, initlint's bundled
init, so a configuration's Dockerfile names an init the way users do (``ENTRYPOINT ["tini",
"--"]``). Tags carry a hash of what went in, so a changed init.py gives a new base image.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import docker

from tests.support.base_images import (
    CACHE_DIR,
    ensure_busybox_image,
    ensure_debian_python_image,
)
from tests.support.docker_env import build_image, exclusive_lock
from tests.truth.programs import JAVA_MAIN

REPO_ROOT = Path(__file__).resolve().parents[2]
BUNDLED_INIT = REPO_ROOT / "initlint" / "init.py"
TINI = Path("/usr/bin/tini-static")
DUMB_INIT = Path("/usr/bin/dumb-init")
FLAVOURS = ("dash", "bash", "busybox", "java")


class TruthImageFailed(Exception):
    pass


def jdk_home() -> Path | None:
    """A JDK with jlink and javac, or None (then the matrix has no JVM configurations)."""
    for name in ("jlink",):
        found = shutil.which(name)
        if found is None:
            return None
        home = Path(os.path.realpath(found)).parent.parent
        if (home / "bin" / "javac").exists():
            return home
    return None


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def _inits(context: Path, with_python_init: bool, busybox: bool) -> str:
    """Copy the inits into the context; return the Dockerfile lines that install them."""
    for path in (TINI, DUMB_INIT):
        if not path.exists():
            raise TruthImageFailed(f"{path} is missing (scripts/system-deps.sh installs it)")
    shutil.copy2(TINI, context / "tini")
    shutil.copy2(DUMB_INIT, context / "dumb-init")
    lines = ["COPY tini /usr/bin/tini", "COPY dumb-init /usr/bin/dumb-init"]
    if with_python_init:
        shutil.copy2(BUNDLED_INIT, context / "initlint-init")
        lines.append("COPY initlint-init /usr/local/bin/initlint-init")
    if busybox:
        # dumb-init is linked against glibc: give busybox the two files it needs
        libs = context / "glibc"
        (libs / "lib64").mkdir(parents=True)
        (libs / "lib/x86_64-linux-gnu").mkdir(parents=True)
        shutil.copy2("/lib64/ld-linux-x86-64.so.2", libs / "lib64/")
        shutil.copy2("/lib/x86_64-linux-gnu/libc.so.6", libs / "lib/x86_64-linux-gnu/")
        lines.insert(0, "COPY glibc/ /")
    return "\n".join(lines) + "\n"


def ensure_truth_base(client: docker.DockerClient, flavour: str) -> str:
    """The tag of the flavour's base image, built (once, under a lock) when missing."""
    debian = ensure_debian_python_image(client)
    key_parts = [flavour.encode(), BUNDLED_INIT.read_bytes(), TINI.read_bytes()[:4096]]
    if flavour == "java":
        home = jdk_home()
        if home is None:
            raise TruthImageFailed("no JDK with jlink and javac on this machine")
        key_parts += [str(home).encode(), JAVA_MAIN.encode()]
    tag = f"initlint-truth/base-{flavour}:{_digest(*key_parts)}"
    try:
        client.images.get(tag)
        return tag
    except docker.errors.ImageNotFound:
        pass
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(CACHE_DIR / f"truth-{flavour}.lock"):
        try:
            client.images.get(tag)
            return tag
        except docker.errors.ImageNotFound:
            pass
        with tempfile.TemporaryDirectory(prefix=f"truth-base-{flavour}-") as work:
            context = Path(work)
            if flavour == "dash":
                text = f"FROM {debian}\n" + _inits(context, True, False)
            elif flavour == "bash":
                text = f"FROM {debian}\nRUN ln -sf bash /bin/sh\n" + _inits(context, True, False)
            elif flavour == "busybox":
                text = f"FROM {ensure_busybox_image(client)}\n" + _inits(context, False, True)
            elif flavour == "java":
                text = f"FROM {ensure_truth_base(client, 'dash')}\n" + _java(context)
            else:
                raise ValueError(flavour)
            (context / "Dockerfile").write_text(text)
            build_image(client, context, tag)
    return tag


def _java(context: Path) -> str:
    home = jdk_home()
    assert home is not None
    runtime = CACHE_DIR / f"jre-{_digest(str(home).encode())}"
    if not runtime.exists():
        partial = Path(tempfile.mkdtemp(dir=CACHE_DIR, prefix="jre-")) / "jre"
        subprocess.run(
            [
                str(home / "bin" / "jlink"),
                "--add-modules",
                "java.base",
                "--strip-debug",
                "--no-header-files",
                "--no-man-pages",
                "--output",
                str(partial),
            ],
            check=True,
            capture_output=True,
        )
        os.replace(partial, runtime)
    shutil.copytree(runtime, context / "jre", symlinks=True)
    source = context / "main" / "Main.java"
    source.parent.mkdir()
    source.write_text(JAVA_MAIN)
    subprocess.run(
        [str(home / "bin" / "javac"), "-d", str(source.parent), str(source)],
        check=True,
        capture_output=True,
    )
    source.unlink()
    return (
        "COPY jre /opt/java\nCOPY main /opt/main\n"
        "RUN ln -s /opt/java/bin/java /usr/local/bin/java\n"
    )

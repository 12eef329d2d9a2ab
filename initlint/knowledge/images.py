"""Facts about base images, by name: which shell /bin/sh is, python3, package manager, STOPSIGNAL.

A name-based guess is only used when no better source is at hand (a local image's
filesystem, once image inspection exists). Each row says why it holds.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from initlint.knowledge.image_table import UNKNOWN as UNKNOWN_TABLE
from initlint.knowledge.image_table import table_facts
from initlint.model import ImageFacts, RuntimeSpec, ShellFamily

__all__ = ["ImageFacts", "ImageRule", "base_facts", "image_facts"]


class ImageRule(NamedTuple):
    """Matches the repository (last path part, or full path) and the tag, as regexes."""

    repository: str
    tag: str
    facts: ImageFacts


_DEBIAN = ShellFamily.DASH
_ALPINE_FACTS = ImageFacts(
    ShellFamily.ASH, None, "apk", note="Alpine: /bin/sh is busybox ash, packages via apk"
)
_NO_ENTRYPOINT: tuple[str, ...] = ()

# First match wins, so the variant rows (alpine, distroless) come before the family rows.
IMAGE_RULES: tuple[ImageRule, ...] = (
    ImageRule(
        "scratch", ".*",
        ImageFacts(ShellFamily.NONE, False, None, note="empty image", entrypoint=()),
    ),
    ImageRule(
        r".*distroless.*python.*", ".*",
        ImageFacts(ShellFamily.NONE, True, None, note="distroless python: python3, no shell"),
    ),
    ImageRule(
        r".*distroless.*", ".*",
        ImageFacts(ShellFamily.NONE, False, None, note="distroless images ship no shell"),
    ),
    ImageRule(
        r"python|pypy", r".*alpine.*",
        ImageFacts(
            ShellFamily.ASH, True, "apk", note="python:*-alpine: CPython on Alpine",
            entrypoint=_NO_ENTRYPOINT,
        ),
    ),
    ImageRule(r".*", r".*alpine.*", _ALPINE_FACTS),
    ImageRule(r"alpine", ".*", _ALPINE_FACTS._replace(entrypoint=_NO_ENTRYPOINT)),
    ImageRule(
        "busybox", ".*",
        ImageFacts(
            ShellFamily.ASH, False, None, note="busybox: /bin/sh is busybox ash",
            entrypoint=_NO_ENTRYPOINT,
        ),
    ),
    ImageRule(
        r"python|pypy", ".*",
        ImageFacts(
            _DEBIAN, True, "apt", note="official python/pypy images: Debian, no ENTRYPOINT",
            entrypoint=_NO_ENTRYPOINT,
        ),
    ),
    ImageRule(
        "nginx", ".*",
        ImageFacts(
            _DEBIAN, False, "apt", "SIGQUIT",
            note="official nginx image: Debian, sets STOPSIGNAL SIGQUIT for a graceful stop",
        ),
    ),
    ImageRule(
        "httpd", ".*",
        ImageFacts(
            _DEBIAN, False, "apt", "SIGWINCH",
            note="official httpd image: Debian, sets STOPSIGNAL SIGWINCH (graceful stop)",
        ),
    ),
    ImageRule(
        "php", r".*fpm.*",
        ImageFacts(
            _DEBIAN, False, "apt", "SIGQUIT",
            note="official php-fpm images: Debian, set STOPSIGNAL SIGQUIT",
        ),
    ),
    ImageRule(
        r"debian|ubuntu", ".*",
        ImageFacts(
            _DEBIAN, False, "apt", note="Debian/Ubuntu: /bin/sh is dash, no python3, no ENTRYPOINT",
            entrypoint=_NO_ENTRYPOINT,
        ),
    ),
    ImageRule(
        "node", ".*",
        ImageFacts(
            _DEBIAN, None, "apt",
            note="official node images: Debian, ENTRYPOINT docker-entrypoint.sh",
            entrypoint=("docker-entrypoint.sh",),
        ),
    ),
    ImageRule(
        r"buildpack-deps|golang|ruby|php|perl|rust|openjdk|"
        r"eclipse-temurin|maven|gradle|redis|postgres|mariadb|mongo|memcached|rabbitmq|"
        r"elixir|erlang|haskell|julia|r-base|gcc|bash",
        ".*",
        ImageFacts(
            _DEBIAN, None, "apt",
            note="Debian/Ubuntu-based official images: /bin/sh is dash",
        ),
    ),
    ImageRule(
        r"mysql", ".*",
        ImageFacts(
            ShellFamily.BASH, False, "microdnf",
            note="mysql 8+ official images are Oracle Linux: /bin/sh is bash",
        ),
    ),
    ImageRule(
        r"fedora|centos|rockylinux|almalinux|oraclelinux|amazonlinux", ".*",
        ImageFacts(ShellFamily.BASH, None, "dnf", note="Red Hat family: /bin/sh is bash"),
    ),
    ImageRule(
        r"ubi\d*(-minimal|-micro)?", ".*",
        ImageFacts(ShellFamily.BASH, None, "microdnf", note="Red Hat UBI: /bin/sh is bash"),
    ),
    ImageRule(
        r"archlinux", ".*",
        ImageFacts(ShellFamily.BASH, None, "pacman", note="Arch: /bin/sh is bash"),
    ),
    ImageRule(
        r"opensuse/.*|suse/.*", ".*",
        ImageFacts(ShellFamily.BASH, None, "zypper", note="openSUSE: /bin/sh is bash"),
    ),
)  # fmt: skip

UNKNOWN_IMAGE = ImageFacts(ShellFamily.UNKNOWN, None, None, note="image not recognised")


class ImageName(NamedTuple):
    repository: str  # without registry and without library/
    tag: str


def split_image_name(reference: str) -> ImageName:
    """``[registry/]repo[:tag][@digest]`` → repository and tag (``latest`` when absent)."""
    name = reference.split("@", 1)[0]
    tag = "latest"
    last_slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > last_slash:
        name, tag = name[:colon], name[colon + 1 :]
    parts = name.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]
    if len(parts) > 1 and parts[0] == "library":
        parts = parts[1:]
    return ImageName("/".join(parts).lower(), tag.lower())


@functools.lru_cache(maxsize=1024)  # one lookup per image name, not per container
def image_facts(reference: str | None) -> ImageFacts:
    """The name-based rules below, with shell, STOPSIGNAL and ENTRYPOINT from the table
    derived from the images' Dockerfiles wherever it knows the image."""
    guess = _rule_facts(reference)
    table = table_facts(reference)
    if table == UNKNOWN_TABLE:
        return guess
    shell = table.shell if table.shell is not ShellFamily.UNKNOWN else guess.shell
    if table.source.startswith("tag names"):
        return guess._replace(shell=shell) if guess.shell is not shell else guess
    return guess._replace(
        shell=shell,
        stop_signal=table.stop_signal or None,
        stop_signal_known=table.stop_signal is not None,
        entrypoint=table.entrypoint if table.entrypoint is not None else guess.entrypoint,
        note=table.source,
        init=table.init or None,
        os=table.os,
    )


def _rule_facts(reference: str | None) -> ImageFacts:
    if not reference:
        return UNKNOWN_IMAGE
    image = split_image_name(reference)
    short = image.repository.rsplit("/", 1)[-1]
    for rule in IMAGE_RULES:
        repo_matches = re.fullmatch(rule.repository, image.repository) or re.fullmatch(
            rule.repository, short
        )
        if repo_matches and re.fullmatch(rule.tag, image.tag):
            return rule.facts
    return UNKNOWN_IMAGE


def base_facts(spec: RuntimeSpec) -> ImageFacts:
    """What the base image is: from the local engine when the loader had it, else by name."""
    return spec.base_facts if spec.base_facts is not None else image_facts(spec.base_image)

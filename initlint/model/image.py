"""What is known of a base image: from the local engine, or guessed from its name."""

from __future__ import annotations

from typing import NamedTuple

from initlint.model.core import ShellFamily


class ImageFacts(NamedTuple):
    shell: ShellFamily
    has_python3: bool | None  # None: depends on the variant, unknown
    package_manager: str | None  # "apt", "apk", "dnf", "microdnf", "yum", "zypper", "pacman"
    stop_signal: str | None = None  # STOPSIGNAL the image sets itself
    note: str = ""
    entrypoint: tuple[str, ...] | None = None  # the image's ENTRYPOINT; None: not known
    stop_signal_known: bool = True  # False: the tag may or may not set one (nginx:1.19.4)
    init: str | None = None  # an init the image runs ("s6-overlay", "tini"); None: none known
    os: str | None = None  # "linux" or "windows"; None: not known

"""The standalone init file that fixes copy into build contexts (``initlint --print-init``)."""

from __future__ import annotations

import re
from pathlib import Path

from initlint import __version__

VENDORED_NAME = "initlint-init"
_HEADER = re.compile(r"^# initlint-init (\S+): vendored by initlint", re.MULTILINE)


def init_source() -> str:
    return (Path(__file__).resolve().parent.parent / "init.py").read_text(encoding="utf-8")


def vendored_init() -> str:
    """The init module as one file with a version header, runnable as ``python3 -I -S FILE``."""
    source = init_source().replace(
        '\n_STAMPED_VERSION = ""\n', f'\n_STAMPED_VERSION = "{__version__}"\n', 1
    )
    if source.startswith("#!"):
        source = source.split("\n", 1)[1]
    header = (
        "#!/usr/bin/env python3\n"
        f"# initlint-init {__version__}: vendored by initlint (initlint --print-init).\n"
        "# Regenerate it with `initlint --fix`; do not edit by hand.\n"
    )
    return header + source


def vendored_version(text: str) -> str | None:
    match = _HEADER.search(text[:500])
    return match.group(1) if match else None

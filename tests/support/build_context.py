"""A build context on disk, from (name, text) pairs as cases and rule pages list them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def write_files(folder: Path, files: Iterable[tuple[str, str]]) -> None:
    """Each file under ``folder`` (subfolders made); a script with a shebang is executable,
    as it would be in the repository the context comes from."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        if text.startswith("#!"):
            target.chmod(0o755)

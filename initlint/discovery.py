"""Which files to lint: explicit files as given, Dockerfiles found under directories, stdin.

A file named on the command line is always linted, whatever its name (as ruff and hadolint
do); under a directory only the usual Dockerfile names count, and version-control folders,
``node_modules`` and virtualenvs are not entered.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from initlint.errors import InputError

STDIN_PATH = "<stdin>"
DOCKERFILE_PATTERNS = (
    "Dockerfile",
    "Dockerfile.*",
    "*.Dockerfile",
    "*.dockerfile",
    "Containerfile",
    "Containerfile.*",
)
SKIPPED_DIRECTORIES = frozenset(
    {
        ".git", ".hg", ".svn", "node_modules", ".venv", "venv", ".tox", ".nox",
        "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Input:
    """One thing to lint: ``path`` is how reports name it; stdin has no file."""

    path: str
    is_stdin: bool = False


def is_dockerfile_name(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in DOCKERFILE_PATTERNS)


def _is_virtualenv(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, "pyvenv.cfg"))


def _walk(root: str) -> Iterator[str]:
    for current, directories, files in os.walk(root):
        directories[:] = sorted(
            name
            for name in directories
            if name not in SKIPPED_DIRECTORIES and not _is_virtualenv(os.path.join(current, name))
        )
        for name in sorted(files):
            if is_dockerfile_name(name):
                yield os.path.join(current, name)


def discover(paths: Iterable[str]) -> tuple[list[Input], list[InputError]]:
    """The inputs named by ``paths`` (each file once, in order) and what could not be used."""
    inputs: list[Input] = []
    errors: list[InputError] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        # abspath, not realpath: no system calls per file (a symlinked twin is linted twice)
        key = os.path.normcase(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            inputs.append(Input(path))

    for path in paths:
        if path == "-":
            if not any(item.is_stdin for item in inputs):  # it can be read only once
                inputs.append(Input(STDIN_PATH, is_stdin=True))
        elif os.path.isdir(path):
            found = list(_walk(path))
            if not found:
                names = ", ".join(DOCKERFILE_PATTERNS)
                errors.append(InputError(path, f"no Dockerfile found in this directory ({names})"))
            for file in found:
                add(os.path.normpath(file))
        elif os.path.exists(path):
            add(path)
        else:
            errors.append(InputError(path, "no such file or directory"))
    return inputs, errors

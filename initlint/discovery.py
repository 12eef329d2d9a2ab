"""Which files to lint: explicit files as given, Dockerfiles, compose files and Kubernetes
manifests found under directories, stdin.

A file named on the command line is always linted, whatever its name (as ruff and hadolint
do); what it is (Dockerfile, compose, Kubernetes) is decided from its name and content. Under
a directory the usual Dockerfile names count, compose file names (``compose.yaml``,
``docker-compose.yml``, ``compose.*.yaml`` overrides), and ``*.yaml``/``*.yml`` files that
look like Kubernetes manifests (top-level ``apiVersion:`` and ``kind:``); other YAML (CI
configuration, Helm values) is passed over silently. Version-control folders, ``node_modules``
and virtualenvs are not entered.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from initlint.errors import InputError
from initlint.exclusion import DEFAULT_EXCLUDE
from initlint.reading import STDIN_PATH as STDIN_PATH

if TYPE_CHECKING:
    from initlint.exclusion import Excluder

DOCKERFILE_PATTERNS = (
    "Dockerfile",
    "Dockerfile.*",
    "*.Dockerfile",
    "*.dockerfile",
    "Containerfile",
    "Containerfile.*",
)
# without an Excluder (no configuration read): the folders ``exclude`` leaves out by default
SKIPPED_DIRECTORIES = frozenset(DEFAULT_EXCLUDE)


class Input(NamedTuple):
    """One thing to lint: ``path`` is how reports name it; stdin has no file."""

    path: str
    is_stdin: bool = False
    kind: str = ""  # "dockerfile" or "yaml"; "" until the content decides (named files, stdin)
    discovered: bool = False  # found in a folder (a YAML file that is not ours is skipped)
    skipped: str = ""  # found in a folder and passed over unread: why (a note)


def is_dockerfile_name(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in DOCKERFILE_PATTERNS)


def _is_virtualenv(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, "pyvenv.cfg"))


def _not_regular(path: str) -> str | None:
    from initlint.reading import not_regular

    kind = not_regular(path)
    return None if kind is None else f"{kind}, not a regular file: not read"


def _yaml_candidate(path: str, name: str) -> bool:
    from initlint.sources.yaml_inputs import (
        is_compose_name,
        is_yaml_name,
        looks_like_manifest_or_compose,
    )

    if is_compose_name(name):
        return True
    if not is_yaml_name(name):
        return False
    if _not_regular(path):
        return True  # passed over with a note, never opened
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(64 * 1024)
    except OSError:
        return False
    return looks_like_manifest_or_compose(head)


def _walk(root: str, excluder: Excluder | None = None) -> Iterator[Input]:
    skipped = excluder.walked if excluder is not None else _skipped_by_default
    for current, directories, files in os.walk(root):
        directories[:] = sorted(
            name
            for name in directories
            if not skipped(os.path.join(current, name), True)
            and not _is_virtualenv(os.path.join(current, name))
        )
        for name in sorted(files):
            path = os.path.join(current, name)
            if not (is_dockerfile_name(name) or name.endswith((".yaml", ".yml"))) or skipped(
                path, False
            ):
                continue
            if is_dockerfile_name(name):
                kind = "dockerfile"
            elif _yaml_candidate(path, name):
                kind = "yaml"
            else:
                continue
            unread = _not_regular(path) or ""  # a FIFO would block the run
            yield Input(os.path.normpath(path), kind=kind, discovered=True, skipped=unread)


def _skipped_by_default(path: str, is_dir: bool) -> bool:
    return is_dir and os.path.basename(path) in SKIPPED_DIRECTORIES


def discover(
    paths: Iterable[str],
    excluder: Excluder | None = None,
    stdin_filename: str | None = None,
    empty: list[str] | None = None,
) -> tuple[list[Input], list[InputError]]:
    """The inputs named by ``paths`` (each file once, in order) and what could not be used.

    ``excluder`` leaves out what folder walks find (and, with --force-exclude, named paths);
    folders that hold nothing to lint are appended to ``empty``.
    """
    inputs: list[Input] = []
    errors: list[InputError] = []
    seen: set[str] = set()

    def add(item: Input) -> None:
        # abspath, not realpath: no system calls per file (a symlinked twin is linted twice)
        key = os.path.normcase(os.path.abspath(item.path))
        if key not in seen:
            seen.add(key)
            inputs.append(item)

    for path in paths:
        if path == "-":
            if not any(item.is_stdin for item in inputs):  # it can be read only once
                if stdin_filename and excluder is not None and excluder.named(stdin_filename):
                    continue
                inputs.append(Input(stdin_filename or STDIN_PATH, is_stdin=True))
        elif os.path.isdir(path):
            found = [] if excluder is not None and excluder.named(path) else _walk(path, excluder)
            before = len(inputs)
            for item in found:
                add(item)
            if len(inputs) == before and empty is not None:
                empty.append(path)
        elif os.path.lexists(path):  # a broken or looping link: reading it says which
            if excluder is None or not excluder.named(path):
                add(Input(path))
        else:
            errors.append(InputError(path, "no such file or directory"))
    return inputs, errors

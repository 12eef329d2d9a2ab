"""Which file of the build context ends up at a path in the image.

Only COPY/ADD of the target stage's FROM chain put context files into the image. A copy
``--from`` another stage or image, a URL, or an archive that ADD unpacks brings files
initlint cannot see: a path under such a destination is OPAQUE, and evidence gives up there.
"""

from __future__ import annotations

import glob
import os
import posixpath
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from initlint.sources.buildkit_words import (
    BoundedScope,
    ShellWordError,
    argument_words,
    expand,
)
from initlint.sources.dockerfile import DockerfileModel, Stage
from initlint.sources.dockerfile_syntax import Instruction

MAX_FILE_BYTES = 1024 * 1024
_ARCHIVE_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst")


class Opaque:
    """A path whose content comes from somewhere initlint cannot read."""

    def __init__(self, why: str) -> None:
        self.why = why

    def __repr__(self) -> str:
        return f"Opaque({self.why!r})"


class Copy(NamedTuple):
    """One COPY/ADD: context sources (absolute, on disk) to an image destination."""

    sources: tuple[Path, ...]
    destination: str  # absolute image path
    into_directory: bool  # the destination is a directory
    opaque: str | None = None  # why the content cannot be read


class BuildContext:
    """The build context folder and the COPY/ADDs of the target stage chain, in order."""

    __slots__ = (
        "_found", "_root_resolved", "_shown", "_texts", "copies", "known_dirs", "overrides", "root",
    )  # fmt: skip

    def __init__(
        self,
        root: Path,
        copies: list[Copy] | None = None,
        overrides: Mapping[str, str] | None = None,  # path on disk -> text
    ) -> None:
        self.root = root
        self.copies: list[Copy] = [] if copies is None else copies
        self.known_dirs: set[str] = set()
        self.overrides: Mapping[str, str] = {} if overrides is None else overrides
        self._texts: dict[Path, str | None] = {}
        self._found: dict[str, Path | Opaque | None] = {}
        self._shown: dict[Path, str] = {}
        self._root_resolved: Path | None = None

    def image_to_context(self, image_path: str) -> Path | Opaque | None:
        """The context file at ``image_path`` in the image; None when no COPY puts one there."""
        image_path = posixpath.normpath(image_path)
        if image_path not in self._found:
            self._found[image_path] = self._lookup(image_path)
        return self._found[image_path]

    def _lookup(self, image_path: str) -> Path | Opaque | None:
        for copy in reversed(self.copies):
            found = _match(copy, image_path)
            if found is not None:
                return found
        return None

    def read_text(self, path: Path) -> str | None:
        """The file's text (a fix's pending edit wins), or None if unreadable or too big."""
        key = str(path)
        if key in self.overrides:
            return self.overrides[key]
        if path not in self._texts:
            self._texts[path] = _read(path)
        return self._texts[path]

    def display(self, path: Path) -> str:
        """``path`` relative to the build context, as messages show it."""
        shown = self._shown.get(path)
        if shown is None:
            if self._root_resolved is None:
                self._root_resolved = self.root.resolve()
            try:
                shown = str(path.resolve().relative_to(self._root_resolved))
            except ValueError:
                shown = str(path)
            self._shown[path] = shown
        return shown


def _read(path: Path) -> str | None:
    try:
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if b"\0" in data[:4096]:
        return None
    return data.decode("utf-8", errors="replace")


def _match(copy: Copy, image_path: str) -> Path | Opaque | None:
    destination = copy.destination
    under = image_path == destination or image_path.startswith(destination.rstrip("/") + "/")
    if copy.opaque is not None:
        return Opaque(copy.opaque) if under else None
    if not copy.into_directory:
        if image_path == destination and copy.sources and copy.sources[0].is_file():
            return copy.sources[0]
        return None
    if not under or image_path == destination:
        return None
    relative = image_path[len(destination.rstrip("/")) + 1 :]
    for source in reversed(copy.sources):
        if source.is_dir():
            candidate = source / relative
            if candidate.is_file():
                return candidate
        elif source.name == relative and source.is_file():
            return source
    return None


def build_context(
    model: DockerfileModel,
    stage: Stage,
    root: Path,
    overrides: Mapping[str, str] | None = None,
) -> BuildContext:
    context = BuildContext(root, overrides=dict(overrides or {}))
    for member in reversed(model.chain(stage)):
        workdir = "/"
        for instruction in member.instructions:
            if instruction.keyword == "WORKDIR":
                try:
                    path = expand(instruction.args, BoundedScope(member.env), model.syntax.escape)
                except ShellWordError:
                    path = instruction.args
                workdir = posixpath.normpath(posixpath.join(workdir, path))
                context.known_dirs.add(workdir)
            elif instruction.keyword in ("COPY", "ADD"):
                copy = _copy(instruction, workdir, root, context.known_dirs, model.syntax.escape)
                if copy is not None:
                    context.copies.append(copy)
                    if copy.into_directory:
                        context.known_dirs.add(copy.destination)
    return context


def _copy(
    instruction: Instruction, workdir: str, root: Path, known_dirs: set[str], escape: str
) -> Copy | None:
    flags = {f.value.split("=", 1)[0].lower(): f.value for f in instruction.flags}
    if instruction.json_words is not None:
        words = [w.value for w in instruction.json_words]
    else:
        try:
            words = [w.value for w in argument_words(instruction.args, escape)]
        except ShellWordError:
            return None
    if instruction.heredocs or len(words) < 2:
        return None
    *raw_sources, raw_destination = words
    destination = posixpath.normpath(posixpath.join(workdir, raw_destination))
    many = len(raw_sources) > 1 or any(_is_glob(s) for s in raw_sources)
    into_directory = raw_destination.endswith("/") or many or destination in known_dirs
    if "from" in flags:
        return Copy((), destination, True, f"copied from {flags['from'].split('=', 1)[-1]}")
    if instruction.keyword == "ADD" and any(_remote_or_archive(s) for s in raw_sources):
        return Copy((), destination, True, "added from a URL or an unpacked archive")
    sources: list[Path] = []
    for raw in raw_sources:
        pattern = str(root / raw.lstrip("/"))
        matched = sorted(glob.glob(pattern)) if _is_glob(raw) else [pattern]
        sources.extend(Path(os.path.normpath(m)) for m in matched)
    if len(sources) == 1 and sources[0].is_dir():
        into_directory = True
    return Copy(tuple(sources), destination, into_directory)


def _is_glob(word: str) -> bool:
    return any(c in word for c in "*?[")


def _remote_or_archive(word: str) -> bool:
    lowered = word.lower()
    return "://" in lowered or lowered.startswith("git@") or lowered.endswith(_ARCHIVE_SUFFIXES)


class ModuleReader:
    """Reads each module of an app once, and at most ``limit`` of them (bounded analysis).

    ``read`` returns None for a module already read; for one over the limit or unreadable it
    also notes why in ``unknown``, so the analysis can say its SIGTERM verdict is incomplete.
    """

    def __init__(self, context: BuildContext, limit: int, unknown: list[str]) -> None:
        self.context = context
        self.limit = limit
        self.unknown = unknown
        self._seen: set[str] = set()

    def read(self, disk: Path, image_path: str) -> str | None:
        if image_path in self._seen:
            return None
        if len(self._seen) >= self.limit:
            note = f"more than {self.limit} local modules"
            if note not in self.unknown:
                self.unknown.append(note)
            return None
        self._seen.add(image_path)
        text = self.context.read_text(disk)
        if text is None:
            self.unknown.append(f"{disk} unreadable")
        return text

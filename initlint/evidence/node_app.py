"""Node apps: ``child_process`` (and browser drivers) and ``process.on('SIGTERM')``.

A small scanner blanks comments and keeps string literals (same length, so offsets and line
numbers stay exact); requires and imports are then read with patterns. Local modules
(``./x``, ``../x``) are followed like Node resolves them.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

from initlint.evidence.context import BuildContext, ModuleReader
from initlint.knowledge.apis import (
    NODE_HANDLES_SIGTERM,
    NODE_ORPHAN_MODULES,
    NODE_SPAWN_MODULES,
    by_name,
)
from initlint.model import EvidenceItem, EvidenceKind, Span

MAX_FILES = 50
_EXTENSIONS = ("", ".js", ".mjs", ".cjs", "/index.js", "/index.mjs", "/index.cjs")
_SPECIFIER = r"""(?:\brequire\s*\(\s*|\bimport\s*\(\s*|\bfrom\s*|\bimport\s+)(['"])([^'"\n]+)\1"""
_MODULE = re.compile(_SPECIFIER)
_SIGNAL_LISTENER = re.compile(
    r"""\bprocess\s*\.\s*(?:on|once|addListener|prependListener)\s*\(\s*(['"`])(\w+)\1"""
)
_DYNAMIC_LISTENER = re.compile(r"\bprocess\s*\.\s*(?:on|once|addListener)\s*\(\s*[A-Za-z_$]")
_SPAWNS = by_name(NODE_SPAWN_MODULES)
_ORPHANS = by_name(NODE_ORPHAN_MODULES)


class NodeFacts:
    __slots__ = ("files", "sigterm", "spawns", "unknown_sigterm")

    def __init__(self) -> None:
        self.spawns: list[EvidenceItem] = []
        self.sigterm: list[EvidenceItem] = []
        self.unknown_sigterm: list[str] = []
        self.files: list[Path] = []

    @property
    def sigterm_handled(self) -> bool | None:
        if self.sigterm:
            return True
        return None if self.unknown_sigterm else False


def strip_comments(text: str) -> str:
    """Comments become spaces (newlines kept); strings and template literals stay."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "'\"`":
            j = i + 1
            while j < n and text[j] != c:
                if text[j] == "\\":
                    j += 1
                elif text[j] == "\n" and c != "`":
                    break
                j += 1
            i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j == -1 else j
            out[i:j] = " " * (j - i)
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j == -1 else j + 2
            out[i:j] = ["\n" if ch == "\n" else " " for ch in text[i:j]]
            i = j
        else:
            i += 1
    return "".join(out)


class NodeAnalysis:
    def __init__(self, context: BuildContext) -> None:
        self.context = context
        self.facts = NodeFacts()
        self._reader = ModuleReader(context, MAX_FILES, self.facts.unknown_sigterm)

    def run(self, entry_disk: Path, entry_image: str) -> NodeFacts:
        self._scan(entry_disk, entry_image)
        return self.facts

    def _display(self, disk: Path) -> str:
        return self.context.display(disk)

    def _scan(self, disk: Path, image_path: str) -> None:
        text = self._reader.read(disk, image_path)
        if text is None:
            return
        self.facts.files.append(disk)
        code = strip_comments(text)
        shown = self._display(disk)
        starts = [0] + [i + 1 for i, c in enumerate(code) if c == "\n"]

        def item(kind: EvidenceKind, start: int, end: int, meaning: str) -> EvidenceItem:
            import bisect

            line = bisect.bisect_right(starts, start)
            column = start - starts[line - 1] + 1
            end_line = bisect.bisect_right(starts, end)
            span = Span(str(disk), line, column, end_line, end - starts[end_line - 1] + 1)
            return EvidenceItem(kind, f"{shown}:{line} {meaning}", span)

        for match in _MODULE.finditer(code):
            specifier = match.group(2)
            name = specifier.removeprefix("node:")
            package = "/".join(name.split("/")[:2]) if name.startswith("@") else name.split("/")[0]
            if name in _SPAWNS or package in _SPAWNS:
                api = _SPAWNS.get(name) or _SPAWNS[package]
                self.facts.spawns.append(item("spawn", match.start(), match.end(), api.meaning))
            elif package in _ORPHANS:
                api = _ORPHANS[package]
                self.facts.spawns.append(item("orphans", match.start(), match.end(), api.meaning))
            elif specifier.startswith((".", "/")):
                self._follow(specifier, image_path)
        for match in _SIGNAL_LISTENER.finditer(code):
            if match.group(2) == "SIGTERM":
                meaning = "handles SIGTERM with process.on('SIGTERM')"
                self.facts.sigterm.append(item("sigterm", match.start(), match.end(), meaning))
        dynamic = _DYNAMIC_LISTENER.search(code)
        if dynamic is not None and re.search(r"""['"`]SIGTERM['"`]""", code):
            meaning = "handles SIGTERM with process.on(...)"
            self.facts.sigterm.append(item("sigterm", dynamic.start(), dynamic.end(), meaning))
        for api in NODE_HANDLES_SIGTERM:
            for match in re.finditer(re.escape(api.name) + r"\s*\(", code):
                self.facts.sigterm.append(item("sigterm", match.start(), match.end(), api.meaning))

    def _follow(self, specifier: str, importer: str) -> None:
        base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier))
        if specifier.startswith("/"):
            base = posixpath.normpath(specifier)
        for suffix in _EXTENSIONS:
            found = self.context.image_to_context(base + suffix)
            if isinstance(found, Path):
                self._scan(found, base + suffix)
                return


def package_main(context: BuildContext, directory: str) -> str | None:
    """The entry of ``node DIR``: package.json ``main``, else index.js."""
    manifest = context.image_to_context(posixpath.join(directory, "package.json"))
    main = "index.js"
    if isinstance(manifest, Path):
        text = context.read_text(manifest)
        try:
            data = json.loads(text or "")
        except ValueError:
            data = {}
        if isinstance(data, dict) and isinstance(data.get("main"), str):
            main = data["main"]
    return posixpath.normpath(posixpath.join(directory, main))


def resolve_entry(context: BuildContext, image_path: str) -> tuple[str, Path] | None:
    for suffix in _EXTENSIONS:
        found = context.image_to_context(image_path + suffix)
        if isinstance(found, Path):
            return image_path + suffix, found
    return None

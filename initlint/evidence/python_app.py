"""Python apps, read without importing or running them: do they spawn, handle SIGTERM, reap?

The analysis parses with the standard library's ``ast``, not libcst: it only reads names,
calls and line numbers, and ``ast`` does that 10-50x faster (libcst's import alone takes
longer than the 50 ms budget per Dockerfile, its position metadata doubles a parse). libcst
is used where it is needed, for the format-preserving SIGTERM-handler codemod
(initlint.fixes.python_codemod), and only imported there.

Reachability, kept simple and on the side of reporting less: module-level code of the entry
runs; module-level code of imported local modules runs except their ``__main__`` block;
functions run when decorated (a framework registers them: routes, tasks) or when their name is
used anywhere in the analysed files; methods of classes are taken to run.
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from initlint.evidence.context import BuildContext, Opaque
from initlint.evidence.knowledge import (
    PYTHON_HANDLES_SIGTERM,
    PYTHON_ORPHANS,
    PYTHON_REAPS,
    PYTHON_SPAWNS,
    PYTHON_UNKNOWN_SIGTERM,
    Api,
    by_name,
)
from initlint.model import EvidenceItem, Span

MAX_FILES = 50
MAX_DEPTH = 6
_SPAWNS = by_name(PYTHON_SPAWNS)
_ORPHANS = by_name(PYTHON_ORPHANS)
_REAPS = by_name(PYTHON_REAPS)
_HANDLES = by_name(PYTHON_HANDLES_SIGTERM)
_UNKNOWN = by_name(PYTHON_UNKNOWN_SIGTERM)
_TERM_NAMES = frozenset({"signal.SIGTERM", "signal.Signals.SIGTERM"})
_CHLD_NAMES = frozenset({"signal.SIGCHLD", "signal.Signals.SIGCHLD"})
_NO_HANDLER = frozenset({"signal.SIG_DFL", "signal.SIG_IGN", "signal.Handlers.SIG_DFL",
                         "signal.Handlers.SIG_IGN"})  # fmt: skip


@dataclass
class PythonFacts:
    spawns: list[EvidenceItem] = field(default_factory=list)
    sigterm: list[EvidenceItem] = field(default_factory=list)
    reaps: list[EvidenceItem] = field(default_factory=list)
    unknown_sigterm: list[str] = field(default_factory=list)  # why handling is unknown
    files: list[Path] = field(default_factory=list)

    @property
    def sigterm_handled(self) -> bool | None:
        if self.sigterm:
            return True
        return None if self.unknown_sigterm else False


@dataclass(frozen=True)
class _Module:
    disk: Path
    image_path: str
    tree: ast.Module
    is_entry: bool
    depth: int


class PythonAnalysis:
    """Analyse an entry file (or module) and the local modules it imports."""

    def __init__(self, context: BuildContext, search_path: list[str]) -> None:
        self.context = context
        self.search_path = search_path  # image directories, like sys.path
        self.facts = PythonFacts()
        self._seen: set[str] = set()
        self._modules: list[_Module] = []

    def run(self, entry_disk: Path, entry_image: str) -> PythonFacts:
        self._load(entry_disk, entry_image, is_entry=True, depth=0)
        used_names = set()
        for module in self._modules:
            used_names |= _used_names(module.tree)
        for module in self._modules:
            _ModuleVisitor(self, module, used_names).scan()
        return self.facts

    def _load(self, disk: Path, image_path: str, is_entry: bool, depth: int) -> None:
        if image_path in self._seen or len(self._seen) >= MAX_FILES:
            if len(self._seen) >= MAX_FILES:
                self.facts.unknown_sigterm.append(f"more than {MAX_FILES} local modules")
            return
        self._seen.add(image_path)
        text = self.context.read_text(disk)
        if text is None:
            self.facts.unknown_sigterm.append(f"{disk} unreadable")
            return
        try:
            tree = ast.parse(text, filename=str(disk))
        except (SyntaxError, ValueError) as error:
            self.facts.unknown_sigterm.append(f"{disk}: cannot parse: {error}")
            return
        self.facts.files.append(disk)
        module = _Module(disk, image_path, tree, is_entry, depth)
        self._modules.append(module)
        if depth >= MAX_DEPTH:
            return
        for name, level in _imports(tree, skip_main=not is_entry):
            for found_image, found_disk in self._resolve_import(name, level, image_path):
                self._load(found_disk, found_image, False, depth + 1)

    def _resolve_import(self, name: str, level: int, importer: str) -> Iterator[tuple[str, Path]]:
        """Local files for ``import name`` (``level`` leading dots); nothing for libraries."""
        parts = [p for p in name.split(".") if p]
        if level:
            base = posixpath.dirname(importer)
            for _ in range(level - 1):
                base = posixpath.dirname(base)
            roots = [base]
        else:
            roots = [*self.search_path]
        for root in roots:
            # every package on the way runs its __init__, then the module itself
            for count in range(1, len(parts) + 1):
                stem = posixpath.join(root, *parts[:count])
                for candidate in (stem + ".py", posixpath.join(stem, "__init__.py")):
                    found = self.context.image_to_context(candidate)
                    if isinstance(found, Path):
                        yield candidate, found
                        break
            if parts or level:
                # only the first root that has the top package counts (as sys.path)
                top = posixpath.join(root, parts[0]) if parts else root
                if self._exists(top + ".py") or self._exists(posixpath.join(top, "__init__.py")):
                    return

    def _exists(self, image_path: str) -> bool:
        return isinstance(self.context.image_to_context(image_path), Path)

    def display(self, disk: Path) -> str:
        try:
            return str(disk.resolve().relative_to(self.context.root.resolve()))
        except ValueError:
            return str(disk)


def resolve_module(
    context: BuildContext, module: str, search_path: list[str]
) -> tuple[str, Path] | Opaque | None:
    """``python -m module``: the image path and file of the module (a package's __main__)."""
    parts = module.split(".")
    for root in search_path:
        stem = posixpath.join(root, *parts)
        for candidate in (posixpath.join(stem, "__main__.py"), stem + ".py"):
            found = context.image_to_context(candidate)
            if isinstance(found, Path):
                return candidate, found
            if isinstance(found, Opaque):
                return found
    return None


def _imports(tree: ast.Module, skip_main: bool) -> Iterator[tuple[str, int]]:
    for node in _walk(tree, skip_main):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, 0
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            yield base, node.level
            for alias in node.names:
                if alias.name != "*":
                    yield f"{base}.{alias.name}" if base else alias.name, node.level


def _is_main_guard(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    names = [node.test.left, *node.test.comparators]
    return any(isinstance(n, ast.Name) and n.id == "__name__" for n in names) and any(
        isinstance(n, ast.Constant) and n.value == "__main__" for n in names
    )


def _walk(tree: ast.Module, skip_main: bool) -> Iterator[ast.AST]:
    for statement in tree.body:
        if skip_main and _is_main_guard(statement):
            continue
        yield from ast.walk(statement)


def _used_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[-1])
            names.add(node.name.split(".")[-1])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.add(node.value)  # "module:function" strings, getattr(x, "name")
            names.update(part for part in node.value.replace(":", ".").split("."))
    return names


class _ModuleVisitor:
    def __init__(self, analysis: PythonAnalysis, module: _Module, used: set[str]) -> None:
        self.analysis = analysis
        self.module = module
        self.used = used
        self.aliases: dict[str, str] = {}
        self.mentions_sigterm = False

    def scan(self) -> None:
        for node in _walk(self.module.tree, skip_main=not self.module.is_entry):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.aliases[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        self.aliases[top] = top
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        for node in _walk(self.module.tree, skip_main=not self.module.is_entry):
            if isinstance(node, (ast.Attribute, ast.Name)) and self.qualified(node) in _TERM_NAMES:
                self.mentions_sigterm = True
        self._visit_body(self.module.tree.body, top=True)

    def _visit_body(self, body: list[ast.stmt], top: bool) -> None:
        for statement in body:
            if top and not self.module.is_entry and _is_main_guard(statement):
                continue
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if top and not statement.decorator_list and statement.name not in self.used:
                    continue  # never called: dead code does not run
                self._visit_nodes(statement)
            else:
                self._visit_nodes(statement)

    def _visit_nodes(self, root: ast.AST) -> None:
        for node in ast.walk(root):
            if isinstance(node, ast.Call):
                self._call(node)

    def qualified(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self.qualified(node.value)
            return f"{base}.{node.attr}" if base else None
        return None

    def _call(self, call: ast.Call) -> None:
        name = self.qualified(call.func)
        method = f".{call.func.attr}" if isinstance(call.func, ast.Attribute) else None
        api = _lookup(_SPAWNS, name, method)
        if api is not None:
            self._add(self.analysis.facts.spawns, "spawn", call, api.meaning)
            return
        api = _lookup(_ORPHANS, name, None)
        if api is not None:
            self._add(self.analysis.facts.spawns, "orphans", call, api.meaning)
            return
        if name == "signal.signal" or method == ".add_signal_handler":
            self._signal_handler(call, name or "loop.add_signal_handler")
            return
        if name == "os.waitpid" and call.args and _is_minus_one(call.args[0]):
            self._add(self.analysis.facts.reaps, "reaps", call, "reaps children with os.waitpid")
            return
        api = _lookup(_REAPS, name, None)
        if api is not None:
            self._add(self.analysis.facts.reaps, "reaps", call, api.meaning)
            return
        api = _lookup(_HANDLES, name, method)
        if api is not None:
            self._add(self.analysis.facts.sigterm, "sigterm", call, api.meaning)
            return
        api = _lookup(_UNKNOWN, name, None)
        if api is not None:
            where = f"{self.analysis.display(self.module.disk)}:{call.lineno}"
            self.analysis.facts.unknown_sigterm.append(f"{where} {api.meaning}")

    def _signal_handler(self, call: ast.Call, how: str) -> None:
        if len(call.args) < 2:
            return
        signum, handler = call.args[0], call.args[1]
        which = self.qualified(signum) if isinstance(signum, (ast.Name, ast.Attribute)) else None
        if isinstance(signum, ast.Constant) and isinstance(signum.value, int):
            which = {15: "signal.SIGTERM", 17: "signal.SIGCHLD"}.get(signum.value)
        handler_name = (
            self.qualified(handler) if isinstance(handler, (ast.Name, ast.Attribute)) else None
        )
        if handler_name in _NO_HANDLER:
            if which in _CHLD_NAMES and handler_name.endswith("SIG_IGN"):
                self._add(self.analysis.facts.reaps, "reaps", call,
                          "lets the kernel reap children (SIGCHLD ignored)")  # fmt: skip
            return
        if which in _TERM_NAMES:
            self._add(self.analysis.facts.sigterm, "sigterm", call,
                      f"handles SIGTERM with {how.lstrip('.')}")  # fmt: skip
        elif which in _CHLD_NAMES:
            self._add(self.analysis.facts.reaps, "reaps", call, "handles SIGCHLD")
        elif which is None and self.mentions_sigterm:
            # signal.signal(sig, handler) in a loop over signals that names SIGTERM
            self._add(self.analysis.facts.sigterm, "sigterm", call,
                      f"handles SIGTERM with {how.lstrip('.')}")  # fmt: skip

    def _add(self, into: list[EvidenceItem], kind: str, call: ast.Call, meaning: str) -> None:
        shown = self.analysis.display(self.module.disk)
        span = Span(
            str(self.module.disk),
            call.lineno,
            call.col_offset + 1,
            call.end_lineno or call.lineno,
            (call.end_col_offset or call.col_offset) + 1,
        )
        into.append(EvidenceItem(kind, f"{shown}:{call.lineno} {meaning}", span))


def _lookup(table: dict[str, Api], name: str | None, method: str | None) -> Api | None:
    if name is not None:
        found = table.get(name)
        if found is not None:
            return found
    if method is not None:
        return table.get(method)
    return None


def _is_minus_one(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and node.operand.value == 1
    )

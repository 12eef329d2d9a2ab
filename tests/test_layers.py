"""The package's import graph: no cycles, every module in one of the layers the import-linter
contract in pyproject.toml orders (``lint-imports`` in scripts/test.sh checks the order), the
bundled init standing alone, and records that are not dataclasses (docs/architecture.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("initlint")


def _layers() -> list[list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = config["tool"]["importlinter"]["contracts"]
    return [[name.strip() for name in layer.split(":")] for layer in contract["layers"]]


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in modules:
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = edges[node]
            if i < len(targets):
                work.append((node, i + 1))
                target = targets[i]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycles(graph: grimp.ImportGraph) -> None:
    assert _cycles(graph) == []


def test_a_cycle_is_found() -> None:
    """The cycle finder itself, on a graph with one."""
    fake = grimp.ImportGraph()
    for name in ("p", "p.a", "p.b", "p.c"):
        fake.add_module(name)
    fake.add_import(importer="p.a", imported="p.b")
    fake.add_import(importer="p.b", imported="p.c")
    fake.add_import(importer="p.c", imported="p.a")
    assert _cycles(fake) == [["p.a", "p.b", "p.c"]]


def test_every_module_is_in_a_layer(graph: grimp.ImportGraph) -> None:
    layered = {name for layer in _layers() for name in layer}
    top = {".".join(m.split(".")[:2]) for m in graph.modules if m != "initlint"}
    # the bundled init stands alone (below) and the rule pages are data
    assert top - layered == {"initlint.init"}


def test_the_bundled_init_imports_nothing_from_initlint(graph: grimp.ImportGraph) -> None:
    assert graph.find_modules_directly_imported_by("initlint.init") == set()


def _imports_dataclasses(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import) and any(a.name == "dataclasses" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "dataclasses":
            return True
    return False


def test_no_module_uses_dataclasses() -> None:
    """Records are NamedTuples, state is a slotted class: `import dataclasses` costs ~13 ms
    of every start-up and each dataclass ~0.4 ms to create (docs/architecture.md)."""
    modules = sorted((ROOT / "initlint").rglob("*.py"))
    assert len(modules) > 50
    assert [str(p.relative_to(ROOT)) for p in modules if _imports_dataclasses(p)] == []


def test_a_dataclass_import_is_found(tmp_path: Path) -> None:
    """The check above, on modules that do import it."""
    (tmp_path / "a.py").write_text("from dataclasses import dataclass\n")
    (tmp_path / "b.py").write_text("def f():\n    import dataclasses\n")
    (tmp_path / "c.py").write_text("import dataclasses_json  # not the stdlib module\n")
    found = [_imports_dataclasses(tmp_path / name) for name in ("a.py", "b.py", "c.py")]
    assert found == [True, True, False]


def test_linting_a_dockerfile_never_loads_dataclasses(tmp_path: Path) -> None:
    """Nor does a library on the lint path: one Dockerfile, as pre-commit runs it."""
    (tmp_path / "Dockerfile").write_text("FROM python:3.12-slim\nCMD python3 app.py\n")
    code = (
        "import sys\nfrom initlint.cli import main\n"
        "sys.argv = ['initlint', '--no-color', 'Dockerfile']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('dataclasses' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert "IL102" in result.stdout, result.stdout + result.stderr
    assert result.stderr.splitlines()[-1] == "False", result.stderr

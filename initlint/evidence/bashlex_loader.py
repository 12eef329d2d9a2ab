"""Import bashlex without rebuilding its parse tables every time.

bashlex ships a PLY copy that builds the LALR tables of the bash grammar on every import
(it never reads its ``parsetab.py``): measured here 230-600 ms, more than the whole 50 ms
budget of evidence per Dockerfile. The tables depend only on the grammar, so the first
import saves them (as JSON, keyed by a hash of bashlex's parser module and the Python
version) in the user's cache folder, and later imports build the same parser from them in a
few milliseconds. Any problem with the cache falls back to bashlex's own build.
"""

from __future__ import annotations

import importlib.machinery
import json
import os
import sys
import zlib
from pathlib import Path
from types import ModuleType
from typing import Any


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "initlint"


def _cache_file(parser_source: Path) -> Path:
    digest = f"{zlib.crc32(parser_source.read_bytes()):08x}"
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    return cache_dir() / f"bashlex-tables-{digest}-py{version}.json"


def load_bashlex() -> ModuleType:
    """The ``bashlex`` module, its parser built from cached tables when possible."""
    loaded: ModuleType | None = sys.modules.get("bashlex")
    if loaded is not None:
        return loaded
    hook = _PatchYacc()
    sys.meta_path.insert(0, hook)
    try:
        import bashlex
    finally:
        sys.meta_path.remove(hook)
        if hook.module is not None and hook.original is not None:
            hook.module.yacc = hook.original
    loaded = bashlex
    return loaded


class _PatchYacc:  # a meta path finder (not importlib.abc's class: importing it costs 15 ms)
    """Swaps ``bashlex.yacc.yacc`` for the cached build as soon as that module is loaded
    (bashlex's package ``__init__`` imports its parser, which calls yacc at import)."""

    def __init__(self) -> None:
        self.module: Any = None
        self.original: Any = None

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != "bashlex.yacc":
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None or spec.origin is None:
            return spec
        loader = spec.loader
        run_module = loader.exec_module
        parser_source = Path(spec.origin).parent / "parser.py"

        def exec_module(module: Any) -> None:
            run_module(module)
            self.module, self.original = module, module.yacc
            module.yacc = _cached_yacc(module, module.yacc, parser_source)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _cached_yacc(yacc_module: Any, original: Any, parser_source: Path) -> Any:
    def cached_yacc(*args: Any, **kwargs: Any) -> Any:
        caller = sys.modules[sys._getframe(1).f_globals["__name__"]]
        cache = _cache_file(parser_source) if parser_source.exists() else None
        if cache is not None and cache.exists():
            try:
                return _from_tables(yacc_module, json.loads(cache.read_text()), caller)
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                pass
        parser = original(*args, module=caller, **kwargs)
        if cache is not None:
            _save(cache, parser)
        return parser

    return cached_yacc


class _Production:
    """What bashlex's LR parser reads of a grammar production."""

    def __init__(self, text: str, name: str, length: int, func: str | None) -> None:
        self.str = text
        self.name = name
        self.len = length
        self.func = func
        self.callable: Any = None

    def __str__(self) -> str:
        return self.str


class _Tables:
    """The three tables bashlex's LRParser is built from."""

    def __init__(self, tables: dict[str, Any], module: ModuleType) -> None:
        self.lr_action = {int(state): row for state, row in tables["action"].items()}
        self.lr_goto = {int(state): row for state, row in tables["goto"].items()}
        self.lr_productions: list[_Production] = []
        for text, name, length, func in tables["productions"]:
            production = _Production(text, name, length, func)
            production.callable = getattr(module, func) if func else None
            self.lr_productions.append(production)


def _from_tables(yacc_module: Any, tables: dict[str, Any], module: ModuleType) -> Any:
    return yacc_module.LRParser(_Tables(tables, module), module.p_error)


def _save(cache: Path, parser: Any) -> None:
    tables = {
        "action": {str(state): dict(row) for state, row in parser.action.items()},
        "goto": {str(state): dict(row) for state, row in parser.goto.items()},
        "productions": [[p.str, p.name, p.len, p.func] for p in parser.productions],
    }
    import tempfile

    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=cache.parent, prefix=".bashlex-")
        with os.fdopen(fd, "w") as handle:
            json.dump(tables, handle)
        os.replace(temp, cache)
    except OSError:
        pass  # no cache: the next import builds the tables again

"""Configuration: ``[tool.initlint]`` in pyproject.toml or the top level of ``.initlint.toml``.

The nearest configuration file up from a linted file wins (``.initlint.toml`` before
``pyproject.toml`` in the same folder; a pyproject.toml without ``[tool.initlint]`` does not
count); ``--config FILE`` replaces the search. Command-line options then override it.

Rule selectors are rule ids or prefixes of them (``IL1``, ``IL10``, ``ALL``), as in ruff:
within one layer the most specific selector decides, ``ignore`` winning a tie; the
command-line layer applies after the file's.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from initlint.errors import InputError
from initlint.model import Severity

CONFIG_FILE_NAMES = (".initlint.toml", "pyproject.toml")
# the strategies the fixer knows (initlint.fixes.init_injection.STRATEGIES; a test keeps
# the two equal without importing the fixer here)
INIT_STRATEGIES = ("auto", "python", "tini", "compose", "none")
_SELECTOR = r"^(ALL|IL\d{0,3})$"  # compiled on first use (re's cache): only with selectors
_KNOWN_KEYS = frozenset(
    {
        "select", "ignore", "per-file-ignores", "failure-threshold", "init-strategy",
        "local-base-images", "exclude", "extend-exclude", "force-exclude", "respect-gitignore",
    }
)  # fmt: skip


class Threshold:
    """Parsing of ``failure-threshold``: a severity, or ``none`` (never fail on findings)."""

    CHOICES = ("error", "warning", "info", "none")

    @staticmethod
    def parse(text: str) -> Severity | None:
        if text.strip().lower() == "none":
            return None
        return Severity.parse(text)


class Selection(NamedTuple):
    """One layer of rule selection (a config file, or the command line)."""

    select: tuple[str, ...] | None = None  # None: keep what the layer below enabled
    ignore: tuple[str, ...] = ()

    def apply(self, enabled: set[str], all_ids: Iterable[str]) -> set[str]:
        result = set(enabled)
        for rule_id in all_ids:
            chosen = _most_specific(rule_id, self.select or ())
            dropped = _most_specific(rule_id, self.ignore)
            if dropped is not None and (chosen is None or len(dropped) >= len(chosen)):
                result.discard(rule_id)
            elif chosen is not None:
                result.add(rule_id)
            elif self.select is not None:
                result.discard(rule_id)
        return result


def _most_specific(rule_id: str, selectors: Sequence[str]) -> str | None:
    """The longest selector matching ``rule_id`` (``ALL`` counts as the shortest)."""
    best: str | None = None
    for selector in selectors:
        prefix = "" if selector == "ALL" else selector
        if rule_id.startswith(prefix) and (best is None or len(prefix) > len(_prefix(best))):
            best = selector
    return best


def _prefix(selector: str) -> str:
    return "" if selector == "ALL" else selector


def matches_any(rule_id: str, selectors: Iterable[str]) -> bool:
    return any(rule_id.startswith(_prefix(selector)) for selector in selectors)


def parse_selectors(
    values: Iterable[str], known_ids: Iterable[str], origin: str, line: int | None = None
) -> tuple[str, ...]:
    """Normalise selectors (upper case, no blanks); an unknown one is an InputError."""
    known = tuple(known_ids)
    found: list[str] = []
    for raw in values:
        selector = raw.strip().upper()
        if not selector:
            continue
        if not re.match(_SELECTOR, selector) or not any(
            rule_id.startswith(_prefix(selector)) for rule_id in known
        ):
            raise InputError(origin, f"unknown rule selector {raw.strip()!r}", line)
        found.append(selector)
    return tuple(found)


def split_list(text: str) -> list[str]:
    return [part for part in re.split(r"[,\s]+", text) if part]


class PerFileIgnore(NamedTuple):
    pattern: str
    selectors: tuple[str, ...]
    regex: re.Pattern[str]  # compiled from pattern: comparing it changes nothing


def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """``**`` spans folders, ``*`` and ``?`` stay inside one, ``[...]`` is a class."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
            continue
        if pattern.startswith("**", index):
            out.append(".*")
            index += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            close = pattern.find("]", index + 1)
            if close == -1:
                out.append(re.escape(char))
            else:
                body = pattern[index + 1 : close].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                index = close
        else:
            out.append(re.escape(char))
        index += 1
    return re.compile("".join(out) + r"\Z")


class Config(NamedTuple):
    """The settings one linted file runs with."""

    path: str | None = None  # the file they came from; None: defaults
    selection: Selection = Selection()
    per_file_ignores: tuple[PerFileIgnore, ...] = ()
    failure_threshold: Severity | None = Severity.INFO
    threshold_set: bool = False  # failure-threshold given in the file
    init_strategy: str | None = None
    # ask the local Docker engine about base images (opt-in: results then depend on the machine)
    local_base_images: bool = False
    exclude: tuple[str, ...] | None = None  # None: the default list (initlint.exclusion)
    extend_exclude: tuple[str, ...] = ()
    force_exclude: bool = False
    respect_gitignore: bool = True

    @property
    def root(self) -> str:
        """The folder globs in this configuration are relative to."""
        return os.path.dirname(os.path.realpath(self.path)) if self.path else os.getcwd()

    def per_file_selectors(self, linted: str) -> tuple[str, ...]:
        """The selectors that per-file-ignores turns off for ``linted``."""
        if not self.per_file_ignores or linted.startswith("<"):
            return ()
        relative = _inside(os.path.realpath(linted), self.root).replace(os.sep, "/")
        candidates = {relative, relative.rsplit("/", 1)[-1], _written(linted)}
        found: list[str] = []
        for entry in self.per_file_ignores:
            if any(entry.regex.match(candidate) for candidate in candidates):
                found.extend(entry.selectors)
        return tuple(found)


def _inside(path: str, folder: str) -> str:
    """``path`` relative to ``folder`` when it is inside it, else ``path`` as it is."""
    if path == folder:
        return "."
    prefix = folder if folder.endswith(os.sep) else folder + os.sep
    return path[len(prefix) :] if path.startswith(prefix) else path


def _written(path: str) -> str:
    """A path as written, without ``./`` and doubled slashes, in ``/`` form."""
    return os.path.normpath(path).replace(os.sep, "/")


def _key_line(text: str, key: str) -> int | None:
    """The line a key is written on, for messages (tomllib gives no positions)."""
    match = re.search(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _string_list(value: Any, key: str, origin: str, text: str) -> list[str]:
    if isinstance(value, str):
        return split_list(value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    raise InputError(origin, f"{key} must be a list of rule ids", _key_line(text, key))


def parse_config(
    table: Mapping[str, Any], origin: str, text: str, known_ids: Sequence[str]
) -> Config:
    """Validate one ``[tool.initlint]`` table."""
    for key in table:
        if key not in _KNOWN_KEYS:
            raise InputError(
                origin,
                f"unknown option {key!r} (known: {', '.join(sorted(_KNOWN_KEYS))})",
                _key_line(text, key),
            )

    def selectors(key: str) -> tuple[str, ...]:
        values = _string_list(table[key], key, origin, text)
        return parse_selectors(values, known_ids, origin, _key_line(text, key))

    select = selectors("select") if "select" in table else None
    ignore = selectors("ignore") if "ignore" in table else ()
    per_file: list[PerFileIgnore] = []
    raw_per_file = table.get("per-file-ignores", {})
    if not isinstance(raw_per_file, dict):
        raise InputError(
            origin,
            "per-file-ignores must be a table of glob = [ids]",
            _key_line(text, "per-file-ignores"),
        )
    for pattern, ids in raw_per_file.items():
        values = _string_list(ids, pattern, origin, text)
        try:
            regex = glob_to_regex(pattern)
        except re.error as error:
            raise InputError(
                origin, f"per-file-ignores: bad glob {pattern!r}: {error}", _key_line(text, pattern)
            ) from None
        per_file.append(
            PerFileIgnore(
                pattern,
                parse_selectors(values, known_ids, origin, _key_line(text, pattern)),
                regex,
            )
        )
    threshold: Severity | None = Severity.INFO
    threshold_set = "failure-threshold" in table
    if threshold_set:
        raw = table["failure-threshold"]
        if not isinstance(raw, str) or raw.strip().lower() not in Threshold.CHOICES:
            raise InputError(
                origin,
                f"failure-threshold must be one of {', '.join(Threshold.CHOICES)}",
                _key_line(text, "failure-threshold"),
            )
        threshold = Threshold.parse(raw)
    strategy = table.get("init-strategy")
    if strategy is not None and strategy not in INIT_STRATEGIES:
        raise InputError(
            origin,
            f"init-strategy must be one of {', '.join(INIT_STRATEGIES)}",
            _key_line(text, "init-strategy"),
        )
    flags: dict[str, bool] = {}
    for key, default in (
        ("local-base-images", False),
        ("force-exclude", False),
        ("respect-gitignore", True),
    ):
        value = table.get(key, default)
        if not isinstance(value, bool):
            raise InputError(origin, f"{key} must be true or false", _key_line(text, key))
        flags[key] = value
    globs: dict[str, tuple[str, ...] | None] = {}
    for key in ("exclude", "extend-exclude"):
        value = table.get(key)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(item, str) for item in value)
        ):
            raise InputError(origin, f"{key} must be a list of globs", _key_line(text, key))
        globs[key] = None if value is None else tuple(value)
    return Config(
        path=origin,
        selection=Selection(select, ignore),
        per_file_ignores=tuple(per_file),
        failure_threshold=threshold,
        threshold_set=threshold_set,
        init_strategy=strategy,
        local_base_images=flags["local-base-images"],
        exclude=globs["exclude"],
        extend_exclude=globs["extend-exclude"] or (),
        force_exclude=flags["force-exclude"],
        respect_gitignore=flags["respect-gitignore"],
    )


def _toml_error(message: str, text: str) -> tuple[str, int | None]:
    """tomllib puts the position in its message: ``... (at line 3, column 1)``."""
    found = re.search(r"\s*\(at line (\d+), column \d+\)$", message)
    if found:
        return message[: found.start()], int(found.group(1))
    if message.endswith("(at end of document)"):
        return message[: -len("(at end of document)")].rstrip(), max(1, len(text.splitlines()))
    return message, None


def display_path(path: str) -> str:
    """A path as messages show it: relative to the current folder when inside it."""
    return _inside(path, os.getcwd()) if os.path.isabs(path) else os.path.normpath(path)


def read_config_file(path: str, known_ids: Sequence[str]) -> Config | None:
    """The configuration in ``path``; None for a pyproject.toml without ``[tool.initlint]``."""
    from initlint.reading import MAX_INPUT_BYTES, NotRegularFile, read_regular_file

    origin = display_path(path)
    try:
        data = read_regular_file(path, MAX_INPUT_BYTES)
        if len(data) > MAX_INPUT_BYTES:
            raise InputError(origin, "configuration file is over 1 MiB", 1)
    except NotRegularFile as error:
        raise InputError(origin, f"is {error.kind}, not a regular file: not read") from None
    except OSError as error:
        raise InputError(origin, f"cannot read configuration: {error.strerror or error}") from None
    pyproject = os.path.basename(path) == "pyproject.toml"
    if pyproject and b"initlint" not in data:
        # cannot hold [tool.initlint]; not decoded or parsed (importing tomllib alone costs
        # milliseconds), so a broken pyproject.toml of another tool's is that tool's to report
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad_line = data.count(b"\n", 0, error.start) + 1
        raise InputError(origin, "configuration is not valid UTF-8", bad_line) from None
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python < 3.11 only
        import tomli as tomllib
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message, line = _toml_error(str(error), text)
        raise InputError(origin, f"invalid TOML: {message}", line) from None
    except RecursionError:
        raise InputError(origin, "invalid TOML: nested too deeply to read", 1) from None
    table: Any
    if pyproject:
        table = document.get("tool", {}).get("initlint")
        if table is None:
            return None
    else:
        table = document.get("tool", {}).get("initlint", document)
    if not isinstance(table, dict):
        raise InputError(origin, "[tool.initlint] must be a table")
    return parse_config(table, origin, text, known_ids)


class ConfigResolver:
    """Finds (and caches) the configuration for each linted file."""

    def __init__(self, known_ids: Sequence[str], explicit: str | None = None) -> None:
        self.known_ids = tuple(known_ids)
        self.explicit = explicit
        self._by_directory: dict[str, Config] = {}
        self._explicit_config: Config | None = None
        self._by_written_folder: dict[str, Config] = {}

    def for_file(self, linted: str) -> Config:
        if self.explicit is not None:
            if self._explicit_config is None:
                if not os.path.exists(self.explicit):
                    raise InputError(self.explicit, "configuration file not found")
                found = read_config_file(self.explicit, self.known_ids)
                if found is None:
                    raise InputError(self.explicit, "no [tool.initlint] table in this file")
                self._explicit_config = found
            return self._explicit_config
        # keyed by the folder as written first: resolving symlinks costs syscalls per file
        folder = os.path.dirname(os.path.abspath(linted)) if not linted.startswith("<") else ""
        cached = self._by_written_folder.get(folder)
        if cached is None:
            start = os.getcwd() if not folder else os.path.realpath(folder)
            cached = self._by_written_folder[folder] = self._nearest(start)
        return cached

    def _nearest(self, directory: str) -> Config:
        visited: list[str] = []
        config: Config | None = None
        current: str | None = directory
        while current is not None:
            if current in self._by_directory:
                config = self._by_directory[current]
                break
            visited.append(current)
            config = self._in_directory(current)
            if config is not None:
                break
            parent = os.path.dirname(current)
            current = parent if parent != current else None
        result = config or Config()
        for seen in visited:
            self._by_directory[seen] = result
        return result

    def _in_directory(self, directory: str) -> Config | None:
        for name in CONFIG_FILE_NAMES:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate):
                found = read_config_file(candidate, self.known_ids)
                if found is not None:
                    return found
        return None

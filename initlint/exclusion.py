"""Which paths a folder walk leaves out: ``exclude`` / ``extend-exclude`` globs and .gitignore.

As in ruff: a glob matches a path relative to the folder of the configuration file that set
it (the current folder for the command line) or the path's last component, so ``build`` and
``tests/fixtures`` both work; ``exclude`` replaces the default list, ``extend-exclude`` adds to
it. Paths named on the command line are linted even when excluded, unless ``--force-exclude``
(what pre-commit hooks use, since pre-commit names every file).

.gitignore files are read the way git reads them inside a work tree: each folder's
.gitignore applies below it, the last matching pattern wins, ``!`` re-includes, a trailing
``/`` matches folders only, a pattern with a ``/`` is anchored to its folder, and
``.git/info/exclude`` and the user's global excludes file (git's ``core.excludesFile``, by
default ``$XDG_CONFIG_HOME/git/ignore``) apply to the whole tree, below .gitignore files in
precedence, as in git. Outside a git work tree none of them is read (as ruff and ripgrep do).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from pathlib import PurePosixPath
from typing import NamedTuple

from initlint.config import Config, glob_to_regex

DEFAULT_EXCLUDE = (
    ".git", ".hg", ".svn", "node_modules", ".venv", "venv", ".tox", ".nox",
    "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache",
)  # fmt: skip


class Globs(NamedTuple):
    """Exclusion globs anchored at ``root`` (an absolute folder)."""

    root: str
    patterns: tuple[re.Pattern[str], ...]

    @classmethod
    def compile(cls, root: str, globs: Sequence[str]) -> Globs:
        cleaned = (glob.strip().removeprefix("./").rstrip("/") for glob in globs)
        return cls(root, tuple(glob_to_regex(glob) for glob in cleaned if glob))

    def matches(self, absolute: str) -> bool:
        if not self.patterns:
            return False
        name = os.path.basename(absolute)
        relative = os.path.relpath(absolute, self.root).replace(os.sep, "/")
        candidates = [name] if relative.startswith("../") else [relative, name]
        return any(p.match(c) for p in self.patterns for c in candidates)


class _IgnoreRule(NamedTuple):
    base: str  # the folder whose .gitignore holds it (absolute)
    regex: re.Pattern[str]
    negated: bool
    directory_only: bool


def _parse_gitignore(text: str, base: str) -> list[_IgnoreRule]:
    rules: list[_IgnoreRule] = []
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        if not line.endswith("\\ "):
            line = line.rstrip(" ")
        negated = line.startswith("!")
        if negated:
            line = line[1:]
        if line.startswith(("\\#", "\\!")):
            line = line[1:]
        directory_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        line = line.lstrip("/")
        pattern = line if anchored or line.startswith("**/") else f"**/{line}"
        rules.append(_IgnoreRule(base, glob_to_regex(pattern), negated, directory_only))
    return rules


def _read(path: str) -> str:
    from initlint.reading import read_text_file

    try:  # a FIFO named .gitignore is never opened
        return read_text_file(path, 1024 * 1024, errors="replace")[: 1024 * 1024]
    except OSError:
        return ""


def global_excludes_file(work_tree: str) -> str | None:
    """The file git reads as ``core.excludesFile`` in ``work_tree``: the configured one (any
    config level, asked of git itself), else git's default under XDG_CONFIG_HOME or HOME."""
    import subprocess

    try:
        configured = subprocess.run(
            ["git", "config", "--path", "--get", "core.excludesFile"],
            cwd=work_tree,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):  # no git installed: its default still applies
        configured = ""
    if configured:
        return os.path.join(work_tree, os.path.expanduser(configured))
    config_home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(
        os.path.expanduser("~"), ".config"
    )
    return os.path.join(config_home, "git", "ignore")


class GitIgnore:
    """The .gitignore rules in force in each folder (read once per folder)."""

    def __init__(self) -> None:
        self._rules: dict[str, list[_IgnoreRule] | None] = {}

    def _rules_in(self, folder: str) -> list[_IgnoreRule] | None:
        """The rules for entries of ``folder``; None outside a git work tree."""
        if folder in self._rules:
            return self._rules[folder]
        rules: list[_IgnoreRule] | None
        if os.path.exists(os.path.join(folder, ".git")):
            rules = []
            info = os.path.join(folder, ".git", "info", "exclude")
            for whole_tree in (global_excludes_file(folder), info):
                if whole_tree and os.path.isfile(whole_tree):
                    rules.extend(_parse_gitignore(_read(whole_tree), folder))
        else:
            parent = os.path.dirname(folder)
            rules = None if parent == folder else self._rules_in(parent)
            if rules is not None:
                rules = list(rules)
        if rules is not None:
            rules.extend(_parse_gitignore(_read(os.path.join(folder, ".gitignore")), folder))
        self._rules[folder] = rules
        return rules

    def ignored(self, absolute: str, is_dir: bool) -> bool:
        rules = self._rules_in(os.path.dirname(absolute))
        if not rules:
            return False
        verdict = False
        for rule in rules:
            if rule.directory_only and not is_dir:
                continue
            relative = PurePosixPath(os.path.relpath(absolute, rule.base).replace(os.sep, "/"))
            if rule.regex.match(str(relative)):
                verdict = not rule.negated
        return verdict


class CommandLineExclusion(NamedTuple):
    """``--exclude``, ``--extend-exclude``, ``--force-exclude``, ``--[no-]respect-gitignore``."""

    exclude: Sequence[str] | None = None
    extend_exclude: Sequence[str] = ()
    force_exclude: bool | None = None
    respect_gitignore: bool | None = None


class Excluder:
    """Decides for each path found in a folder walk (or named, with --force-exclude)."""

    def __init__(
        self, config_for: Callable[[str], Config | None], cli: CommandLineExclusion
    ) -> None:
        self.config_for = config_for
        self.cli = cli
        cwd = os.getcwd()
        self._cli_exclude = Globs.compile(cwd, cli.exclude) if cli.exclude is not None else None
        self._cli_extend = Globs.compile(cwd, cli.extend_exclude)
        self._by_config: dict[int, tuple[Config | None, Globs, Globs]] = {}
        self._gitignore = GitIgnore()

    def _config_globs(self, config: Config | None) -> tuple[Globs, Globs]:
        found = self._by_config.get(id(config))
        if found is None or found[0] is not config:
            root = config.root if config is not None else os.getcwd()
            exclude = config.exclude if config is not None else None
            extend = config.extend_exclude if config is not None else ()
            found = (
                config,
                Globs.compile(root, DEFAULT_EXCLUDE if exclude is None else exclude),
                Globs.compile(root, extend),
            )
            self._by_config[id(config)] = found
        return found[1], found[2]

    def _config(self, absolute: str) -> Config | None:
        try:
            return self.config_for(absolute)
        except Exception:  # a broken configuration is reported when its files are linted
            return None

    def force_exclude(self, named: str) -> bool:
        if self.cli.force_exclude is not None:
            return self.cli.force_exclude
        config = self._config(os.path.abspath(named))
        return config.force_exclude if config is not None else False

    def by_globs(self, absolute: str) -> bool:
        config = self._config(absolute)
        exclude, extend = self._config_globs(config)
        if self._cli_exclude is not None:
            exclude = self._cli_exclude
        return (
            exclude.matches(absolute)
            or extend.matches(absolute)
            or (self._cli_extend.matches(absolute))
        )

    def walked(self, path: str, is_dir: bool) -> bool:
        """Whether a path found in a folder walk is left out."""
        absolute = os.path.abspath(path)
        if self.by_globs(absolute):
            return True
        respect = self.cli.respect_gitignore
        if respect is None:
            config = self._config(absolute)
            respect = config.respect_gitignore if config is not None else True
        return respect and self._gitignore.ignored(absolute, is_dir)

    def named(self, path: str) -> bool:
        """Whether a path named on the command line is left out (only with --force-exclude):
        it or a folder above it, up to the configuration's folder, matches a glob."""
        if not self.force_exclude(path):
            return False
        absolute = os.path.abspath(path)
        config = self._config(absolute)
        stop = config.root if config is not None else os.getcwd()
        current = absolute
        while True:
            if self.by_globs(current):
                return True
            parent = os.path.dirname(current)
            if parent == current or current == stop:
                return False
            current = parent

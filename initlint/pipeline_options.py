"""What the command line asks of a run, and which rules each file gets: the options, the
rule selection (configuration, command line, per-file ignores), and the error a bug becomes."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import NamedTuple

from initlint.checks.base import Rule
from initlint.config import Config, Selection, parse_selectors
from initlint.errors import InputError
from initlint.exclusion import CommandLineExclusion


class LintOptions(NamedTuple):
    """What the command line asks for; None means "as the configuration says"."""

    select: Sequence[str] | None = None
    ignore: Sequence[str] = ()
    failure_threshold: str | None = None  # error|warning|info|none
    target: str | None = None
    config_path: str | None = None
    fix_edits: bool = False  # plan each finding's fix to the concrete edits (SARIF ``fixes``)
    fix_mode: str = "off"  # "off", "fix" (write the files), "diff" (print what fix would do)
    unsafe_fixes: bool = False
    init_strategy: str | None = None  # None: as the configuration says
    # base images the local engine has replace name-based guesses; None: as the config says
    # (``local-base-images``, off by default so results do not depend on the machine)
    use_docker: bool | None = None
    context: str | None = None  # --context: the build context (default: the Dockerfile's folder)
    images: Sequence[str] = ()  # --image: lint built images
    pull: bool = False
    probes: Sequence[str] = ()  # --probe: run images and measure their stop
    probe_wait: float = 3.0
    jobs: int = 0
    # --exclude, --extend-exclude, --force-exclude, --respect-gitignore
    exclusion: CommandLineExclusion = CommandLineExclusion()
    stdin_filename: str | None = None  # --stdin-filename: how reports and config name stdin


def default_rules() -> tuple[Rule, ...]:
    from initlint.checks.registry import ALL_RULES

    return tuple(ALL_RULES)


def command_line_selection(options: LintOptions, rules: Sequence[Rule]) -> Selection:
    """The command-line layer of rule selection; InputError names the bad option."""
    known = [rule.id for rule in rules]
    select = None if options.select is None else parse_selectors(options.select, known, "--select")
    return Selection(select, parse_selectors(options.ignore, known, "--ignore"))


def enabled_rules(
    rules: Sequence[Rule], config: Config, cli: Selection, linted: str
) -> tuple[Rule, ...]:
    return _enabled_rules(tuple(rules), config, cli, config.per_file_selectors(linted))


class RuleChoice:
    """enabled_rules, remembered per configuration object for one run (hashing a Config
    for every file costs more than choosing)."""

    def __init__(self, rules: Sequence[Rule], cli: Selection) -> None:
        self.rules = tuple(rules)
        self.known_ids = tuple(rule.id for rule in rules)
        self.cli = cli
        self._plain: dict[int, tuple[Config, tuple[Rule, ...]]] = {}

    def __call__(self, config: Config, linted: str) -> tuple[Rule, ...]:
        if config.per_file_ignores:
            return enabled_rules(self.rules, config, self.cli, linted)
        found = self._plain.get(id(config))
        if found is None or found[0] is not config:
            found = (config, _enabled_rules(self.rules, config, self.cli, ()))
            self._plain[id(config)] = found
        return found[1]


@functools.lru_cache(maxsize=256)
def _enabled_rules(
    rules: tuple[Rule, ...], config: Config, cli: Selection, per_file: tuple[str, ...]
) -> tuple[Rule, ...]:
    ids = [rule.id for rule in rules]
    enabled = config.selection.apply(set(ids), ids)
    enabled = cli.apply(enabled, ids)
    enabled = Selection(None, per_file).apply(enabled, ids)
    return tuple(rule for rule in rules if rule.id in enabled)


def internal_error(path: str, error: BaseException, where: str = "") -> InputError:
    detail = f"{type(error).__name__}: {error}".replace("\n", " ")
    place = f" in {where}" if where else ""
    return InputError(
        path, f"internal error{place}: {detail} (a bug in initlint; please report it)"
    )

"""The user documentation says what the code does: the README's configuration example and
inline-ignore example work as written, its pre-commit hook ids exist, every configuration key
is documented in the README and in ``initlint --help``."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

from initlint.cli_conventions import EPILOG
from initlint.config import _KNOWN_KEYS, parse_config
from initlint.pipeline import default_rules

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO_ROOT = Path(__file__).resolve().parent.parent
README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.DOTALL)


def test_readme_configuration_example_is_valid() -> None:
    (example,) = [b for b in blocks("toml") if "[tool.initlint]" in b]
    table = tomllib.loads(example)["tool"]["initlint"]
    ids = [rule.id for rule in default_rules()]
    config = parse_config(table, "README.md", example, ids)
    assert config.extend_exclude == ("tests/fixtures",)
    assert config.init_strategy == "tini"


def test_every_configuration_key_is_documented() -> None:
    for key in _KNOWN_KEYS:
        assert f"`{key}`" in README, key
        assert key in EPILOG, key


def _lint_dockerfile_in(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "initlint", "--no-color", "Dockerfile"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_readme_inline_ignore_example_silences_what_it_says(tmp_path: Path) -> None:
    (example,) = [b for b in blocks("dockerfile") if "initlint: ignore" in b]
    (tmp_path / "Dockerfile").write_text(example, encoding="utf-8")
    result = _lint_dockerfile_in(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    without = example.replace(
        "# initlint: ignore=IL102,IL202 -- started by the platform's own init\n", ""
    )
    (tmp_path / "Dockerfile").write_text(without, encoding="utf-8")
    again = _lint_dockerfile_in(tmp_path)
    assert "IL102" in again.stdout


def test_readme_pre_commit_hooks_exist() -> None:
    hooks = YAML(typ="safe", pure=True).load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
    known = {hook["id"] for hook in hooks}
    (config,) = [b for b in blocks("yaml") if "repos:" in b]
    used = set(re.findall(r"id: ([\w-]+)", config))
    assert used and used <= known
    assert all("--force-exclude" in hook["entry"] for hook in hooks)


def test_help_epilog_has_the_recipes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "initlint", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    needles = ["[tool.initlint]", "# initlint: ignore=", "global ignore", "pre-commit"]
    needles += ["GitHub Actions", "sarif", "GitLab CI", "codequality", "plain step"]
    for needle in needles:
        assert needle in result.stdout, needle

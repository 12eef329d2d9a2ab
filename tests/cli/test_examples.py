"""The bundled examples, linted by the real rules through the real command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
EXPECTED = {
    "flask-shell-cmd": {"IL102"},
    "node-npm-start": {"IL104"},
    "python-worker-shell-entrypoint": {"IL101", "IL106"},
    "nginx-without-stopsignal": {"IL108"},
    "django-sh-c-wrapper": {"IL103", "IL107"},
    "supervisord-system-container": {"IL105"},
    "go-service-clean": set(),
}


def test_examples_show_the_documented_findings() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "initlint", "--format", "json", "examples"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    found: dict[str, set[str]] = {name: set() for name in EXPECTED}
    for finding in json.loads(result.stdout)["findings"]:
        found[Path(finding["path"]).parts[1]].add(finding["rule"])
    for name, expected in EXPECTED.items():
        assert expected <= found[name], f"{name}: expected {expected}, got {found[name]}"
    assert found["go-service-clean"] == set()


def test_every_example_is_listed() -> None:
    folders = {p.name for p in (REPO_ROOT / "examples").iterdir() if p.is_dir()}
    assert folders == set(EXPECTED)
    readme = (REPO_ROOT / "examples" / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in readme for name in EXPECTED)


def test_the_clean_example_passes_on_its_own() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "initlint", "examples/go-service-clean"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, "No findings in 1 file.\n"), result.stderr

"""action.yml, the composite GitHub Action: its lint step's script run with bash as the
runner would (inputs as environment variables), against the installed initlint."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

REPO_ROOT = Path(__file__).resolve().parent.parent


def action() -> dict[str, Any]:
    loaded = YAML(typ="safe", pure=True).load((REPO_ROOT / "action.yml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def step(name: str) -> dict[str, Any]:
    return next(s for s in action()["runs"]["steps"] if s.get("name") == name)


def run_lint_step(project: Path, **inputs: str) -> subprocess.CompletedProcess[str]:
    defaults = {k: str(v.get("default", "")) for k, v in action()["inputs"].items()}
    merged = {**defaults, **inputs}
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_OUTPUT": str(project / "github_output"),
        "NO_COLOR": "1",
    }
    env.update({f"INPUT_{k.upper().replace('-', '_')}": v for k, v in merged.items()})
    return subprocess.run(
        ["bash", "-e", "-c", step("Lint")["run"]],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_composite_action_installs_from_its_own_checkout() -> None:
    data = action()
    assert data["runs"]["using"] == "composite"
    install = step("Install initlint")
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert '"$ACTION_PATH"' in install["run"]
    upload = step("Upload SARIF to code scanning")
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert "always()" in upload["if"]


def test_lint_step_annotates_and_writes_sarif(tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "Dockerfile").write_text("FROM debian:12\nCMD python3 /app.py\n")
    result = run_lint_step(tmp_path, sarif="true", paths="svc")
    assert result.returncode == 1, result.stderr  # findings fail the step
    assert "::error file=svc/Dockerfile,line=2" in result.stdout, result.stdout
    report = json.loads((tmp_path / "initlint.sarif").read_text())
    results = report["runs"][0]["results"]
    assert results[0]["ruleId"] == "IL102"
    location = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert location == "svc/Dockerfile"
    assert (tmp_path / "github_output").read_text() == "sarif-file=initlint.sarif\n"


def test_lint_step_threshold_and_args(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM debian:12\nCMD python3 /app.py\n")
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "Dockerfile").write_text("FROM debian:12\nCMD python3 /app.py\n")
    quiet = run_lint_step(tmp_path, args="--ignore IL102 --exclude legacy", format="text")
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    assert quiet.stdout == "No findings in 1 file.\n"
    passing = run_lint_step(tmp_path, **{"failure-threshold": "none"})
    assert passing.returncode == 0 and "::error file=Dockerfile" in passing.stdout

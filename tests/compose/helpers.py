"""Shared by the compose and Kubernetes tests: run initlint as a user does, load YAML specs,
validate compose files against the Compose Specification's JSON schema."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from initlint.evidence.runtimes import with_app_evidence
from initlint.model import RuntimeSpec
from initlint.sources.yaml_inputs import load_yaml
from tests.support import skip_or_fail

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "tests" / "fixtures"
COMPOSE_SCHEMA = REPO_ROOT / "tests" / "fixtures" / "schemas" / "compose-spec.json"


def run_initlint(
    *args: str, cwd: Path | None = None, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    environment.pop("QUEUE_NAME", None)
    return subprocess.run(
        [sys.executable, "-m", "initlint", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def specs(text: str, path: Path) -> dict[str, RuntimeSpec]:
    """Write ``text`` to ``path`` and load it: specs by name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    loaded = load_yaml(text, str(path))
    files = loaded.app_files or [None] * len(loaded.specs)
    # with the app's evidence, as the pipeline attaches it before the rules run
    return {s.name: with_app_evidence(s, f) for s, f in zip(loaded.specs, files)}


@functools.cache
def _compose_validator() -> Any:
    import jsonschema

    schema = json.loads(COMPOSE_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def assert_valid_compose(text: str) -> None:
    """The text is a compose file the Compose Specification accepts."""
    if not COMPOSE_SCHEMA.exists():
        skip_or_fail(f"compose schema not found at {COMPOSE_SCHEMA}")
    from ruamel.yaml import YAML

    data = YAML(typ="safe", pure=True).load(text)
    errors = sorted(_compose_validator().iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]

"""``initlint --image`` and ``--probe`` as a user runs them, against the real engine."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable

import pytest

pytestmark = pytest.mark.docker


def initlint(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "initlint", "--no-color", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_image_lint_reports_the_static_verdict(fixture_image: Callable[[str], str]) -> None:
    shell_form = fixture_image("shell_form")
    handled = fixture_image("exec_with_handler")
    result = initlint("--image", shell_form, "--image", handled)
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("image:")]
    assert len(lines) == 1
    assert lines[0].startswith(f"image:{shell_form}:1:1: IL102 [error]")


def test_image_json_carries_its_runtime(fixture_image: Callable[[str], str]) -> None:
    shell_form = fixture_image("shell_form")
    with_init = fixture_image("with_init")
    result = initlint("--image", shell_form, "--image", with_init, "--format", "json")
    assert result.returncode == 1, result.stderr
    shell, init = json.loads(result.stdout)["runtimes"]
    assert (shell["path"], shell["line"], shell["target"]) == (f"image:{shell_form}", 1, shell_form)
    assert shell["pid1"] == ["/bin/sh", "-c", "python3 /app.py"]
    assert (shell["stop"], shell["receiver"]) == ("grace-period", "/bin/sh (dash)")
    assert (init["stop"], init["reaps"], init["receiver"]) == ("graceful", "yes", "initlint-init")


def test_image_refs_from_stdin_and_a_missing_image(fixture_image: Callable[[str], str]) -> None:
    handled = fixture_image("exec_with_handler")
    result = initlint("--image", "-", stdin=f"{handled}\n# comment\ninitlint-test/absent:1\n")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "initlint-test/absent:1: error: image not found in the local engine "
        "(initlint never pulls unless --pull is given)"
    )
    assert "No findings in 1 file." in result.stdout


def test_probe_measures_the_ignored_sigterm(fixture_image: Callable[[str], str]) -> None:
    shell_form = fixture_image("shell_form")
    result = initlint("--probe", shell_form, "--probe-wait", "1", "--format", "json")
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    (probe,) = document["probes"]
    assert probe["killed_after_grace"] is True
    assert probe["stop_seconds"] >= probe["grace_seconds"] - 0.1
    (finding,) = document["findings"]
    assert finding["rule"] == "IL202"
    assert finding["message"].startswith('measured: PID 1 "/bin/sh -c')
    # the rule's own severity, as for its static findings
    assert finding["severity"] == "warning"
    # the same runtime fields as a static prediction, measured, plus the times
    (runtime,) = document["runtimes"]
    assert (runtime["stop"], runtime["signal"]) == ("grace-period", "SIGTERM")
    assert runtime["pid1"][:2] == ["/bin/sh", "-c"]
    assert runtime["measured"]["killed_after_grace"] is True
    assert runtime["measured"]["stop_seconds"] == probe["stop_seconds"]


def test_probe_findings_follow_the_rule_selection(fixture_image: Callable[[str], str]) -> None:
    shell_form = fixture_image("shell_form")
    args = ("--probe", shell_form, "--probe-wait", "1", "--format", "json")
    result = initlint(*args, "--ignore", "IL202")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["findings"] == []
    assert document["runtimes"][0]["stop"] == "grace-period"  # measured all the same

"""``runtimes`` in ``--format json`` and SARIF: one prediction per runtime, for every source
kind (the image kind is tested with the engine in tests/images/test_cli_images.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from initlint.pipeline import LintOptions, run
from initlint.report import render

KEYS = {
    "path", "line", "target", "pid1", "stop", "signal", "receiver", "reaps", "why", "chain",
    "measured",
}  # fmt: skip


def runtimes(*paths: Path) -> list[dict[str, Any]]:
    report = run([str(p) for p in paths], LintOptions(use_docker=False))
    document = json.loads(render(report, "json"))
    sarif = json.loads(render(report, "sarif"))
    # the SARIF run's property bag carries the same objects
    assert sarif["runs"][0]["properties"]["runtimes"] == document["runtimes"]
    for entry in document["runtimes"]:
        assert set(entry) == KEYS
        assert entry["measured"] is None  # static predictions
    return list(document["runtimes"])


def test_dockerfile_stage(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("import time\nwhile True:\n    time.sleep(1)\n")
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        "FROM python:3.12-slim AS build\nRUN true\n"
        'FROM python:3.12-slim\nCOPY app.py /app/app.py\nCMD ["python3", "/app/app.py"]\n'
    )
    (entry,) = runtimes(dockerfile)
    assert entry["path"] == str(dockerfile)
    assert (entry["line"], entry["target"]) == (3, "1")  # the target stage's FROM
    assert entry["pid1"] == ["python3", "/app/app.py"]
    assert (entry["stop"], entry["signal"], entry["receiver"]) == (
        "grace-period",
        "SIGTERM",
        "python3",
    )
    assert entry["reaps"] == "no"
    assert "will be PID 1" in entry["why"] and "grace period" in entry["why"]
    assert [(link["role"], link["pid1"]) for link in entry["chain"]] == [("python", True)]


def test_shell_form_and_init(tmp_path: Path) -> None:
    shell = tmp_path / "shell" / "Dockerfile"
    shell.parent.mkdir()
    shell.write_text("FROM debian:12\nSTOPSIGNAL SIGINT\nCMD sleep 100\n")
    tini = tmp_path / "tini" / "Dockerfile"
    tini.parent.mkdir()
    tini.write_text(
        'FROM nginx:1.27\nENTRYPOINT ["tini", "--"]\nCMD ["nginx", "-g", "daemon off;"]\n'
    )
    first, second = runtimes(shell, tini)
    assert first["pid1"] == ["/bin/sh", "-c", "sleep 100"]
    assert (first["stop"], first["signal"], first["receiver"]) == (
        "grace-period",
        "SIGINT",
        "/bin/sh (dash)",
    )
    assert first["chain"][0]["evidence"] == "dash never execs the last command itself"
    assert second["pid1"] == ["tini", "--", "nginx", "-g", "daemon off;"]
    assert (second["stop"], second["reaps"], second["receiver"]) == ("graceful", "yes", "tini")
    assert [link["role"] for link in second["chain"]] == ["init", "program"]


def test_compose_services(tmp_path: Path) -> None:
    compose = tmp_path / "compose.yaml"
    compose.write_text(
        "services:\n"
        "  web:\n    image: debian:12\n    init: true\n    command: sh -c 'sleep 100'\n"
        "  worker:\n    image: alpine:3.20\n    command: ['sh', '-c', 'sleep 100']\n"
    )
    web, worker = runtimes(compose)
    assert (web["path"], web["line"], web["target"]) == (str(compose), 2, "web")
    assert web["chain"][0]["role"] == "runtime-init"
    assert (web["pid1"], web["stop"], web["reaps"]) == (["docker-init"], "graceful", "yes")
    # busybox ash execs the last command of a -c string: sleep is PID 1
    assert (worker["target"], worker["pid1"]) == ("worker", ["sleep", "100"])
    assert [(link["role"], link["pid1"]) for link in worker["chain"]] == [
        ("shell", False),
        ("program", True),
    ]


def test_kubernetes_containers(tmp_path: Path) -> None:
    manifest = tmp_path / "pod.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
        "    - name: app\n      image: node:20\n      command: ['node', 'server.js']\n"
    )
    (entry,) = runtimes(manifest)
    assert (entry["target"], entry["line"]) == ("Pod/p/app", 7)
    # no build context for a Pod: server.js may install a handler (measured: the matrix's
    # k8s twins of a Python app with one stop gracefully), so the stop is unknown
    assert (entry["pid1"], entry["stop"]) == (["node", "server.js"], "unknown")
    assert entry["why"].startswith("node will be PID 1")


def test_an_included_service_is_predicted_once(tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "compose.yaml").write_text(
        "services:\n  db:\n    image: debian:12\n    command: ['sleep', '100']\n"
    )
    (tmp_path / "compose.yaml").write_text(
        "include:\n  - db/compose.yaml\nservices:\n  app:\n    image: debian:12\n"
        "    command: ['sleep', '1']\n"
    )
    found = runtimes(tmp_path)
    assert sorted(entry["target"] for entry in found) == ["app", "db"]


def test_share_process_namespace_sentence(tmp_path: Path) -> None:
    """The pause container is PID 1; the app runs as an ordinary process (the sentence once
    read "will run running")."""
    manifest = tmp_path / "pod.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  shareProcessNamespace: true\n"
        "  containers:\n    - name: app\n      image: debian:12\n"
        "      command: ['sh', '-c', 'tail -f /log | nc logs 514']\n"
    )
    (entry,) = runtimes(manifest)
    assert (entry["pid1"], entry["stop"], entry["reaps"]) == (["pause"], "graceful", "yes")
    assert [link["role"] for link in entry["chain"]][:2] == ["runtime-init", "shell"]
    assert 'sh (dash) will run "tail -f /log | nc logs 514" as an ordinary process' in entry["why"]
    assert "run running" not in entry["why"]

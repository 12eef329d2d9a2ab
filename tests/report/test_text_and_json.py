"""The text and json formats."""

from __future__ import annotations

import json

from initlint.report import render
from initlint.results import RunReport


def test_text_lists_findings_in_order_then_a_summary(report: RunReport) -> None:
    assert render(report, "text").splitlines() == [
        "api/Dockerfile:2:1: IL101 [error] ENTRYPOINT in shell form: /bin/sh is PID 1 and "
        "docker stop waits for SIGKILL",
        "ops/Dockerfile:2:1: IL105 [info] supervisord is PID 1: a system container",
        "worker/Dockerfile:2:1: IL107 [warning] this CMD is overridden by a later one and never "
        "runs",
        "worker/Dockerfile:3:1: IL102 [error] CMD in shell form: /bin/sh is PID 1 and docker "
        "stop waits for SIGKILL",
        "Found 4 findings (2 errors, 1 warning, 1 info) in 3 of 4 files.",
    ]


def test_json_has_exactly_the_documented_keys(report: RunReport) -> None:
    document = json.loads(render(report, "json"))
    assert set(document) == {"version", "findings", "runtimes"}
    assert document["version"] == __import__("initlint").__version__
    assert [f["rule"] for f in document["findings"]] == ["IL101", "IL105", "IL107", "IL102"]
    first = document["findings"][0]
    assert first == {
        "rule": "IL101",
        "name": "shell-form-entrypoint",
        "severity": "error",
        "path": "api/Dockerfile",
        "line": 2,
        "column": 1,
        "end_line": 2,
        "end_column": 31,
        "message": "ENTRYPOINT in shell form: /bin/sh is PID 1 and docker stop waits for SIGKILL",
        "fix": {"applicability": "safe", "description": "Rewrite ENTRYPOINT in exec form"},
    }
    assert document["findings"][1]["fix"] is None
    assert document["findings"][2]["fix"]["applicability"] == "unsafe"


def test_json_with_no_findings(project: object) -> None:
    from initlint.pipeline import run
    from tests.cli.stub_rules import STUB_RULES

    document = json.loads(render(run(["clean/Dockerfile"], rules=STUB_RULES), "json"))
    assert document["findings"] == []

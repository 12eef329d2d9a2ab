"""GitHub Actions workflow commands."""

from __future__ import annotations

from initlint.model import Finding, Severity, Span
from initlint.report import render
from initlint.report.github import annotation, escape_data, escape_property
from initlint.results import RunReport


def test_one_annotation_per_finding(report: RunReport) -> None:
    lines = render(report, "github").splitlines()
    assert lines[0] == (
        "::error file=api/Dockerfile,line=2,col=1,endLine=2,endColumn=31,"
        "title=IL101 shell-form-entrypoint::ENTRYPOINT in shell form: /bin/sh is PID 1 and "
        "docker stop waits for SIGKILL"
    )
    assert lines[1].startswith("::notice file=ops/Dockerfile,line=2,")
    assert lines[2].startswith("::warning file=worker/Dockerfile,line=2,")
    assert len(lines) == 4


def test_escaping_of_properties_and_message() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    finding = Finding(
        "IL102",
        Severity.ERROR,
        "runs `a, b: c`\nthen 50%",
        Span("dir,x/odd:name.Dockerfile", 3, 5, 4, 2),
    )
    assert annotation(finding, "shell-form-cmd") == (
        "::error file=dir%2Cx/odd%3Aname.Dockerfile,line=3,col=5,endLine=4,endColumn=2,"
        "title=IL102 shell-form-cmd::runs `a, b: c`%0Athen 50%25"
    )


def test_input_errors_are_annotated_too(report: RunReport) -> None:
    from pathlib import Path

    from initlint.pipeline import run
    from tests.cli.stub_rules import STUB_RULES

    Path("bad.Dockerfile").write_text("FROM debian:12\nNOPE, really\n", encoding="utf-8")
    lines = render(run(["bad.Dockerfile"], rules=STUB_RULES), "github").splitlines()
    assert lines == [
        "::error file=bad.Dockerfile,line=2,title=initlint%3A cannot lint this file::"
        "unknown instruction: NOPE,"
    ]

from __future__ import annotations

from initlint.model import Applicability, RemoveCommands, Severity
from tests.checks.lint_helpers import findings, none


def test_two_cmds() -> None:
    found = findings(
        "IL107",
        """
        FROM python:3.12
        CMD ["python3", "old.py"]
        RUN true
        CMD ["python3", "new.py"]
        """,
    )
    assert len(found) == 1
    finding = found[0]
    assert finding.severity is Severity.WARNING
    assert (finding.span.line, finding.span.column) == (2, 1)
    assert finding.message.startswith(
        "this CMD never takes effect, the CMD on line 4 replaces it: python3 will be PID 1"
    )
    assert finding.fix is not None
    assert finding.fix.applicability is Applicability.UNSAFE
    assert isinstance(finding.fix.intent, RemoveCommands)
    assert [c.span.line for c in finding.fix.intent.commands] == [2]


def test_three_entrypoints_give_two_findings() -> None:
    found = findings(
        "IL107",
        """
        FROM debian
        ENTRYPOINT ["a"]
        ENTRYPOINT ["b"]
        ENTRYPOINT ["c"]
        """,
    )
    assert [(f.span.line, f.message.split(":")[0]) for f in found] == [
        (2, "this ENTRYPOINT never takes effect, the ENTRYPOINT on line 3 replaces it"),
        (3, "this ENTRYPOINT never takes effect, the ENTRYPOINT on line 4 replaces it"),
    ]


def test_repeats_in_an_earlier_stage_of_the_chain() -> None:
    found = findings(
        "IL107",
        """
        FROM debian AS base
        CMD ["a"]
        CMD ["b"]
        FROM base
        RUN true
        """,
    )
    assert [f.span.line for f in found] == [2]


def test_one_of_each_is_fine() -> None:
    none("IL107", 'FROM debian\nENTRYPOINT ["a"]\nCMD ["b"]\n')


def test_override_across_stages_is_fine() -> None:
    none("IL107", 'FROM debian AS base\nCMD ["a"]\nFROM base\nCMD ["b"]\n')


def test_unrelated_builder_stage_is_not_the_runtime_image() -> None:
    none("IL107", 'FROM debian AS build\nCMD ["a"]\nCMD ["b"]\nFROM debian\nCMD ["c"]\n')

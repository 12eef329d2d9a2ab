"""Helpers for CLI tests: run the command in-process with the stub rules."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pytest
from click.testing import CliRunner

import initlint.pipeline
from initlint.checks.base import Rule
from initlint.cli import build_command
from tests.cli.stub_rules import STUB_RULES


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str


Invoke = Callable[..., Outcome]


@pytest.fixture
def invoke(monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """``invoke(*args, input=None, rules=STUB_RULES)``: the command as a user runs it."""

    def run(
        *args: str, input: str | bytes | None = None, rules: Sequence[Rule] = STUB_RULES
    ) -> Outcome:
        monkeypatch.setattr(initlint.pipeline, "default_rules", lambda: tuple(rules))
        result = CliRunner().invoke(build_command(), list(args), input=input, prog_name="initlint")
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Outcome(result.exit_code, result.stdout, result.stderr)

    return run

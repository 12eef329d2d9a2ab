"""Helpers for CLI tests: run the command in-process with the stub rules."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

import initlint.pipeline
from initlint.checks.base import Rule
from tests.cli.stub_rules import STUB_RULES
from tests.support.in_process import Outcome, run_initlint

Invoke = Callable[..., Outcome]

__all__ = ["Invoke", "Outcome"]


@pytest.fixture
def invoke(monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """``invoke(*args, input=None, rules=STUB_RULES)``: the command as a user runs it."""

    def run(
        *args: str, input: str | bytes | None = None, rules: Sequence[Rule] = STUB_RULES
    ) -> Outcome:
        monkeypatch.setattr(initlint.pipeline, "default_rules", lambda: tuple(rules))
        return run_initlint(args, stdin=input)

    return run

"""Fixers dispatch through a table from fix intent to handler, one table per source kind.

A handler turns one intent into a FixPlan, or says in a NoFix why this source kind cannot
apply it. Every intent a rule declares has an entry in every fixer's table: a test checks it
(tests/fixes/test_dispatch.py), so a new intent cannot silently go unfixed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from initlint.fixes.plan import FixPlan, NoFix
from initlint.model import Finding

FixerT = TypeVar("FixerT")
Handler = Callable[[FixerT, Any, Finding], "FixPlan | NoFix"]
HandlerTable = Mapping[type[Any], Handler[FixerT]]


def dispatch(
    table: HandlerTable[FixerT], fixer: FixerT, finding: Finding, where: str
) -> FixPlan | NoFix:
    intent = finding.fix.intent if finding.fix else None
    if intent is None:
        return NoFix("this finding has no automatic fix")
    handler = table.get(type(intent))
    if handler is None:
        return NoFix(f"this finding has no automatic fix in {where}")
    return handler(fixer, intent, finding)


def cannot(reason: str) -> Handler[Any]:
    """A handler for an intent this source kind cannot apply, saying why."""

    def handler(_fixer: object, _intent: object, _finding: Finding) -> FixPlan | NoFix:
        return NoFix(reason)

    return handler

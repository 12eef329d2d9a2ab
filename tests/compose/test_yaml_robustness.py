"""Mangled compose files and manifests: initlint answers with findings or one InputError,
never an exception of its own; and --fix on what it can fix is idempotent."""

from __future__ import annotations

import random

import pytest

from initlint.checks.registry import ALL_RULES
from initlint.errors import InputError
from initlint.fixes.yaml_fix import fix_yaml_text
from initlint.model import Finding
from initlint.pipeline import lint_yaml
from tests.compose.helpers import FIXTURES

SOURCES = sorted(
    path
    for folder in ("compose", "kubernetes")
    for path in (FIXTURES / folder).rglob("*.yaml")
    if "bad" not in path.parts and "templates" not in path.parts
)
PIECES = [*" \n:-[]{}'\"#&*!|>$,\t", "sh -c ", "\n  ", "exec ", "${X:-a}", "<<: *a", "null",
          "init: false\n    ", "cd /x && ", "$(A) ", "[]", "? "]  # fmt: skip


def mangled(seed: int) -> tuple[str, str]:
    rnd = random.Random(seed)
    path = rnd.choice(SOURCES)
    text = path.read_text(encoding="utf-8")
    for _ in range(rnd.randint(1, 3)):
        at = rnd.randrange(len(text) + 1)
        if rnd.random() < 0.6:
            text = text[:at] + rnd.choice(PIECES) + text[at:]
        else:
            text = text[:at] + text[at + rnd.randint(1, 6) :]
    return str(path), text


@pytest.mark.parametrize("seed", range(0, 400, 4))
def test_mangled_yaml_never_crashes_and_fixes_are_idempotent(seed: int) -> None:
    path, text = mangled(seed)

    def lint(current: str, *_: object) -> list[Finding]:
        return lint_yaml(current, path, ALL_RULES)[0]

    try:
        findings, _, failures, _ = lint_yaml(text, path, ALL_RULES)
    except InputError:
        return
    assert not failures, failures
    once = fix_yaml_text(text, path, lint, unsafe=True)
    twice = fix_yaml_text(once.fixed, path, lint, unsafe=True)
    assert twice.fixed == once.fixed
    assert len(lint(once.fixed)) <= len(findings)

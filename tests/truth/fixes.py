"""Fixes proven in containers: ``--fix`` and ``--fix --unsafe-fixes`` on a configuration's own
files, rebuilt and measured again.

A fix must keep what the container runs: the programs of its process tree (the shells,
inits and keep-alives around them aside) are the same, with the same arguments, before and
after. And a fix that initlint says removes the problem must make the stop graceful.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from initlint.knowledge.programs import keeps_alive
from initlint.pipeline import LintOptions, run
from tests.truth.cases import Case
from tests.truth.measure import Truth

SHELLS = frozenset({"sh", "bash", "dash", "ash", "busybox"})
INITS = frozenset({"tini", "dumb-init", "docker-init", "initlint-init", "init.py"})
# the spawner's short-lived grandchildren, caught or not by the process-tree snapshot
TRANSIENT = frozenset({("sleep", "0.05")})


def programs(tree: Sequence[tuple[str, ...]], case: Case) -> Counter[tuple[str, ...]]:
    """The programs of a process tree: what is left once shells and inits are taken out."""
    found: Counter[tuple[str, ...]] = Counter()
    for argv in tree:
        if not argv:
            continue
        name = os.path.basename(argv[0])
        if name in SHELLS or name in INITS:
            continue
        if name.startswith("python") and any(os.path.basename(w) in INITS for w in argv[1:3]):
            continue
        if any(os.path.basename(word) in INITS for word in argv[1:4] if "/" in word):
            continue  # python3 -I -S /usr/local/bin/initlint-init
        if argv in TRANSIENT:
            continue
        if case.dimensions.get("form") == "script" and keeps_alive(argv):
            continue  # the IL302 fix replaces a keep-alive with wait, on purpose
        found[argv] += 1
    return found


@dataclass
class FixProof:
    case: Case
    mode: str  # fix | unsafe
    applied: list[str] = field(default_factory=list)
    folder: Path | None = None
    before: Truth | None = None
    after: Truth | None = None
    remaining: tuple[str, ...] = ()  # rules still reporting after the fix
    error: str | None = None

    @property
    def same_programs(self) -> bool:
        if self.before is None or self.after is None:
            return False
        # as sets: a process caught between fork and exec shows its parent's argv
        before = set(programs(self.before.tree, self.case))
        return before == set(programs(self.after.tree, self.case))

    @property
    def graceful(self) -> bool:
        return self.after is not None and self.after.stop == "graceful"

    @property
    def provable(self) -> bool:
        """False where this machine cannot run the fixed configuration (no cluster: a Pod
        with shareProcessNamespace has the pause container as PID 1)."""
        return not (self.after and (self.after.error or "").startswith("shareProcessNamespace"))

    @property
    def ok(self) -> bool:
        if not self.provable:
            return True
        if self.error or self.after is None or not self.same_programs:
            return False
        # initlint says the stop problem is gone: the container must agree
        from tests.truth.static import STOP_RULES

        return self.graceful or bool(STOP_RULES & set(self.remaining))

    def describe(self) -> str:
        b = programs(self.before.tree, self.case) if self.before else {}
        a = programs(self.after.tree, self.case) if self.after else {}
        stop = self.after.stop if self.after else "-"
        return (
            f"{self.case.id} --{self.mode}: applied {self.applied}; stop after {stop}; "
            f"programs before {dict(b)} after {dict(a)}; still reported {list(self.remaining)}"
            f"{' ' + self.error if self.error else ''}"
        )


def apply_fixes(case: Case, folder: Path, mode: str, target: Path) -> FixProof:
    """Copy the configuration's folder to ``target`` and fix its file there."""
    shutil.copytree(folder, target, symlinks=True)
    name = "compose.yaml" if case.compose else "pod.yaml" if case.kubernetes else "Dockerfile"
    proof = FixProof(case, mode, folder=target)
    options = LintOptions(fix_mode="fix", unsafe_fixes=mode == "unsafe", use_docker=True)
    report = run([str(target / name)], options)
    if report.errors:
        proof.error = "; ".join(str(error) for error in report.errors)
        return proof
    for outcome in report.fix_outcomes:
        proof.applied.extend(outcome.applied)
    proof.remaining = tuple(sorted({finding.rule_id for finding in report.findings}))
    return proof

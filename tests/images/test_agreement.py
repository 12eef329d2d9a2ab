"""The product's honesty: the static verdict on each fixture image equals what running it shows.

Static verdict: the findings of every rule in ``ALL_RULES`` on the image's RuntimeSpec (as
``initlint --image`` builds it, app evidence included), reduced to the two things a probe can
measure:

- ``stop ignored``: a rule says PID 1 will not act on SIGTERM (IL202), or that a shell stays
  PID 1 in front of the program (IL101, IL102, IL103, IL301): dash as PID 1 has no handler;
- ``zombies``: a rule says nothing will reap orphans (IL201) or a script leaves jobs (IL302).

Probed truth: ``--probe`` measurements of the same image: the stop ended in SIGKILL after the
grace period (measured IL202), zombies among PID 1's children after the wait (measured IL201).
"""

from __future__ import annotations

import pytest

from initlint.probe import probe_findings, probe_images
from initlint.sources.image import load_image_specs
from tests.images.conftest import ImageBuilder

pytestmark = pytest.mark.docker

CASES = (
    "shell_form",
    "exec_no_handler",
    "exec_with_handler",
    "with_init",
    "spawning_no_init",
    "spawning_with_init",
    "entrypoint_script",
    "shell_exec_with_handler",
    "busybox_shell_form",
    "writes_root",
    "exits_at_once",
)
STOP_IGNORED_RULES = frozenset({"IL101", "IL102", "IL103", "IL202", "IL301"})
ZOMBIE_RULES = frozenset({"IL201", "IL302"})
GRACE = 2
WAIT = 2.0


def verdict(rule_ids: set[str]) -> frozenset[str]:
    found = set()
    if rule_ids & STOP_IGNORED_RULES:
        found.add("stop ignored")
    if rule_ids & ZOMBIE_RULES:
        found.add("zombies")
    return frozenset(found)


def test_static_verdict_equals_probed_truth(fixture_image: ImageBuilder) -> None:
    from initlint.checks.registry import ALL_RULES

    refs = [fixture_image(name) for name in CASES]
    specs = load_image_specs(refs)
    results = probe_images(refs, wait=WAIT, jobs=4, grace=GRACE)

    rows = []
    for name, spec, result in zip(CASES, specs, results):
        assert result.error is None, f"{name}: the probe failed: {result.error}"
        static_ids = {f.rule_id for rule in ALL_RULES for f in rule.check(spec)}
        measured_ids = {f.rule_id for f in probe_findings(result)}
        static = verdict(static_ids)
        probed = verdict(measured_ids)
        rows.append((name, static == probed, static_ids, measured_ids, result))

    agree = sum(1 for row in rows if row[1])
    print(f"\nstatic/probed agreement: {agree} of {len(rows)} agree")
    for name, same, static_ids, measured_ids, result in rows:
        stop = (
            "exited on its own"
            if result.stop_seconds is None
            else f"stop {result.stop_seconds:.2f} s"
        )
        print(
            f"  {'agree' if same else 'DISAGREE':8} {name:24} static {sorted(static_ids)} "
            f"measured {sorted(measured_ids)} ({stop}, exit {result.exit_code}, "
            f"zombies {result.zombies})"
        )
    disagreeing = [row[0] for row in rows if not row[1]]
    assert not disagreeing, f"{agree} of {len(rows)} agree; disagreeing: {disagreeing}"

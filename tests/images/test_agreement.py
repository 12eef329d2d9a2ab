"""The product's honesty: the static prediction of each fixture image agrees with what running
it shows.

Static: ``predict(spec)`` on the image's RuntimeSpec (as ``initlint --image`` builds it, app
evidence included). Measured: ``measured_prediction`` of a ``--probe`` of the same image. Both
are Predictions; ``disagreements`` compares their ``stop`` and ``reaps``. The measured
findings (IL202: stop ignored, IL201: the app's zombies) follow from the measured fields;
``reaps`` also has the probe's orphan test (orphans left to PID 1 with ``docker exec``).
"""

from __future__ import annotations

import pytest

from initlint.engine.probe import measured_prediction, probe_images
from initlint.evidence.image import load_image_specs
from initlint.pid1.agreement import disagreements
from initlint.pid1.predict import predict
from tests.images.conftest import ImageBuilder
from tests.images.measured import probe_findings

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
GRACE = 2
WAIT = 2.0


def test_static_prediction_equals_probed_truth(fixture_image: ImageBuilder) -> None:
    refs = [fixture_image(name) for name in CASES]
    specs = load_image_specs(refs)
    results = probe_images(refs, wait=WAIT, jobs=4, grace=GRACE)

    rows = []
    for name, spec, result in zip(CASES, specs, results):
        assert result.error is None, f"{name}: the probe failed: {result.error}"
        static, measured = predict(spec), measured_prediction(result)
        problems = disagreements(static, measured)
        # what the rules report on the measurement says the same as the measured fields
        measured_ids = {f.rule_id for f in probe_findings(result)}
        assert ("IL202" in measured_ids) == (measured.stop == "grace-period"), name
        # IL201 is about the app's own zombies; ``reaps`` also has the probe's orphan test
        assert ("IL201" in measured_ids) == bool(result.zombies), name
        assert not result.zombies or measured.reaps == "no", name
        rows.append((name, static, measured, problems))

    agree = sum(1 for row in rows if not row[3])
    print(f"\nstatic/probed agreement: {agree} of {len(rows)} agree")
    for name, static, measured, problems in rows:
        print(
            f"  {'agree' if not problems else 'DISAGREE':8} {name:24} static "
            f"{static.stop}/{static.reaps} measured {measured.stop}/{measured.reaps} {problems}"
        )
    disagreeing = [(row[0], row[3]) for row in rows if row[3]]
    assert not disagreeing, f"{agree} of {len(rows)} agree; disagreeing: {disagreeing}"

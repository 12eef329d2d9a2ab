"""Every runtime example on the rule pages says what `docker stop -t 2` did to it, and did.

Good examples stop at once; bad ones do what their page's ``Measured:`` line says. How an
example is built here (local base images, stand-ins for programs the machine lacks) is in
tests/truth/pages.py.
"""

from __future__ import annotations

from pathlib import Path

import docker
import pytest

from tests.truth.pages import CLAIMS, claims, measure_examples

CLAIMED = claims()


def test_every_runtime_example_states_its_measured_stop() -> None:
    missing = [c.example.id for c in CLAIMED if c.expected is None]
    assert not missing, (
        f"these examples need a line 'Measured: {' | '.join(CLAIMS)} ...' after them: {missing}"
    )
    bad_good = [c for c in CLAIMED if c.example.verdict == "good" and c.expected != "graceful"]
    assert not bad_good, [c.example.id for c in bad_good]


@pytest.mark.docker
@pytest.mark.slow
def test_rule_page_examples_do_what_their_pages_say(
    docker_client: docker.DockerClient,
    debian_python_image: str,
    busybox_image: str,
    tmp_path: Path,
) -> None:
    results = measure_examples(docker_client, CLAIMED, tmp_path)
    wrong = []
    for measured, truth in results:
        outcome = truth.stop
        if (truth.error or "").startswith("build failed"):
            outcome = "build-error"
        if outcome != measured.expected:
            wrong.append(
                f"{measured.example.id}: the page says {measured.claim!r}; measured {outcome} "
                f"({truth.stop_seconds} s, exit {truth.exit_code}) {truth.error or ''}"
            )
    assert not wrong, "\n".join(wrong)

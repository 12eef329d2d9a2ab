"""The truth matrix in CI: a fixed subset of the generated configurations, built, run, stopped
and compared with initlint's static prediction; their fixes proven the same way.

The whole matrix runs with ``benchmarks/truth_matrix.py`` (its size, agreement and time are in
the README). Here: CI_CASES, chosen so that every dimension value of the matrix appears.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import docker
import pytest

from tests.truth.cases import all_cases
from tests.truth.matrix import (
    agreement_table,
    java_available,
    proof_table,
    run_matrix,
    with_twins,
)
from tests.truth.subset import CI_CASES, dimension_values

EVERYTHING = all_cases(java=java_available())
BY_ID = {case.id: case for case in EVERYTHING}


def test_the_matrix_is_big_and_its_configurations_distinct() -> None:
    contents = Counter(
        (case.source, case.dockerfile, case.files, case.compose, case.kubernetes, case.flavour)
        for case in EVERYTHING
    )
    assert len(EVERYTHING) >= 200
    assert contents.most_common(1)[0][1] == 1, contents.most_common(1)


def test_the_ci_subset_shows_every_dimension_value() -> None:
    missing = [case_id for case_id in CI_CASES if case_id not in BY_ID]
    assert not missing, f"CI_CASES names configurations the generator no longer makes: {missing}"
    chosen = [BY_ID[case_id] for case_id in CI_CASES]
    assert len(chosen) >= 40
    assert dimension_values(EVERYTHING) - dimension_values(chosen) == set()


@pytest.mark.docker
@pytest.mark.slow
def test_ci_subset_agrees_with_real_containers(
    docker_client: docker.DockerClient,
    debian_python_image: str,
    busybox_image: str,
    tmp_path: Path,
) -> None:
    chosen = with_twins([BY_ID[case_id] for case_id in CI_CASES], EVERYTHING)
    result = run_matrix(docker_client, chosen, tmp_path, jobs=3, fixes=True, probe=True)
    report = agreement_table(result.rows) + "\n" + proof_table(result.proofs)
    print(report)
    errors = [row.describe() for row in result.rows if row.truth.error]
    assert not errors, "\n".join(errors)
    assert all(row.agrees for row in result.rows), report
    assert all(proof.ok for proof in result.proofs), report
    # the probe, judged by the same comparison, agrees with the truth on every image
    assert all(row.probe_agrees is not False for row in result.rows), report

"""The truth matrix: every generated configuration built, run, stopped and compared with
initlint's static prediction; prints the agreement table and the time.

    .venv/bin/python benchmarks/truth_matrix.py [--jobs 3] [--subset all|ci] [--match TEXT]
                                                [--json results.json] [--quiet]

Needs a Docker engine (the test setup starts one: tests/support/docker_env.py), the local base
images (built on first use, no registry), docker-compose, tini and dumb-init
(scripts/system-deps.sh), and a JDK with jlink for the JVM configurations. Exit status 0 when
every configuration agrees, 1 otherwise. See tests/truth/README.md for what is measured.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.docker_env import connect_docker  # noqa: E402
from tests.truth.cases import all_cases  # noqa: E402
from tests.truth.matrix import (  # noqa: E402
    agreement_table,
    java_available,
    print_progress,
    proof_table,
    run_matrix,
    with_twins,
)
from tests.truth.subset import CI_CASES  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=3, help="configurations run at once")
    parser.add_argument("--subset", choices=("all", "ci"), default="all")
    parser.add_argument("--match", action="append", default=[], help="only ids containing it")
    parser.add_argument("--json", type=Path, help="write every row here")
    parser.add_argument("--quiet", action="store_true", help="no line per configuration")
    parser.add_argument(
        "--fixes", action="store_true", help="also prove --fix and --fix --unsafe-fixes"
    )
    parser.add_argument(
        "--probe", action="store_true", help="also run initlint --probe on every image"
    )
    args = parser.parse_args()

    everything = all_cases(java=java_available())
    chosen = everything
    if args.subset == "ci":
        wanted = set(CI_CASES)
        chosen = [case for case in everything if case.id in wanted]
    if args.match:
        chosen = [case for case in chosen if any(m in case.id for m in args.match)]
    chosen = with_twins(chosen, everything)
    client = connect_docker()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="truth-matrix-") as work:
        result = run_matrix(
            client, chosen, Path(work), jobs=args.jobs,
            progress=None if args.quiet else print_progress, fixes=args.fixes, probe=args.probe,
        )  # fmt: skip
    seconds = time.monotonic() - started
    rows = result.rows
    print(agreement_table(rows))
    if args.fixes:
        print(proof_table(result.proofs))
    measured = sum(1 for case in chosen if case.source != "kubernetes")
    print(
        f"time: {seconds:.1f} s for {len(rows)} configurations ({measured} built and run, "
        f"{len(rows) - measured} Kubernetes specs checked against their twins), "
        f"{args.jobs} at a time"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {
                        "id": row.case.id,
                        "dimensions": row.case.dimensions,
                        "measured": {
                            "stop": row.truth.stop,
                            "reaps": row.truth.reaps,
                            "stop_seconds": row.truth.stop_seconds,
                            "exit_code": row.truth.exit_code,
                            "zombies": row.truth.zombies,
                        },
                        "predicted": {
                            "stop": row.predicted.stop,
                            "reaps": row.predicted.reaps,
                            "rules": list(row.predicted.rules),
                        },
                        "agrees": row.agrees,
                    }
                    for row in rows
                ],
                indent=1,
            )
        )
    proven = all(proof.ok for proof in result.proofs)
    probes = all(row.probe_agrees is not False for row in rows)
    return 0 if all(row.agrees for row in rows) and proven and probes else 1


if __name__ == "__main__":
    sys.exit(main())

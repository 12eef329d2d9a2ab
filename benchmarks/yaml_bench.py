"""Big YAML: a 10,000-document stream, a 5,000-item List and a stream near the YAML limit.

    .venv/bin/python benchmarks/yaml_bench.py [--repeat N]

Each input is generated into a temporary folder and linted by the ``initlint`` command
(``--no-docker``, start-up included), ``--repeat`` times; the table shows the best wall time,
the CPU time (user + system) of that run, and the peak RSS of the process. Goal: the stream
and the List each in under 2 s, every run within the memory the README states.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 2.0

POD = (
    "apiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}}}\nspec:\n  containers:\n"
    "    - {{name: c, image: nginx, command: [sh, -c, 'sleep 1; nginx']}}\n"
)
ITEM = (
    "  - {{apiVersion: v1, kind: Pod, metadata: {{name: p{i}}}, spec: {{containers: [{{name: c,"
    " image: nginx, command: [sh, -c, 'sleep 1; nginx']}}]}}}}\n"
)
ENV = "".join(f"        - {{name: VAR_{j}, value: 'value-{j}-{'x' * 26}'}}\n" for j in range(22))
DEPLOYMENT = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d{i}\n  labels: {{app: d{i}}}\n"
    "spec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n      - name: c\n"
    "        image: 'nginx:1.25'\n        command: [sh, -c, 'sleep 1; nginx']\n"
    "        env:\n" + ENV.replace("{", "{{").replace("}", "}}")
)


def inputs() -> dict[str, str]:
    return {
        "stream of 10,000 Pods": "".join("---\n" + POD.format(i=i) for i in range(10_000)),
        "List of 5,000 Pods": "apiVersion: v1\nkind: List\nitems:\n"
        + "".join(ITEM.format(i=i) for i in range(5_000)),
        "15 MiB stream of 8,600 Deployments": "".join(
            "---\n" + DEPLOYMENT.format(i=i) for i in range(8_600)
        ),
    }


def measure(path: Path) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "initlint", "--no-docker", str(path)],
        stdout=subprocess.DEVNULL,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    print("| input | size | wall (best) | CPU | peak RSS |")
    print("|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for name, text in inputs().items():
            path = Path(folder) / "input.yaml"
            path.write_text(text, encoding="utf-8")
            runs = [measure(path) for _ in range(options.repeat)]
            wall, cpu, _ = min(runs)
            peak = max(run[2] for run in runs)  # ru_maxrss of children: the largest so far
            size = len(text.encode()) / 1024 / 1024
            row = (name, f"{size:.1f} MiB", f"{wall:.2f} s", f"{cpu:.2f} s", f"{peak >> 10} MiB")
            print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()

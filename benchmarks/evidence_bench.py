"""How much time app evidence adds to linting one Dockerfile (issue 5, item 9: at most 50 ms on
a typical app of a few hundred lines of Python).

For every fixture project in tests/fixtures/apps, plus a generated "typical" Flask app (six
modules, about 660 lines, an entrypoint script that execs it), it lints the Dockerfile with
all rules through the pipeline, with app evidence and without it (attach_evidence replaced by
the identity), each in fresh interpreters, and prints the difference: cold (the first lint in
a process, so including the import of the evidence modules and of the bash
grammar) and warm (median of repeated lints). It also checks that libcst is not imported.
Times are CPU time of the linting process (time.process_time), and the minimum over a few
fresh processes is taken, so that other work on a busy machine does not count.

    .venv/bin/python benchmarks/evidence_bench.py [--runs N] [--repeats N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
APPS = REPO / "tests" / "fixtures" / "apps"
BUDGET_MS = 50.0

MODULE = '''\
"""{name}: part of a generated app for the benchmark."""

import json
import logging
import os
import subprocess
from dataclasses import dataclass

from flask import Blueprint, jsonify, request

log = logging.getLogger(__name__)
bp = Blueprint("{name}", __name__)


@dataclass
class {title}Record:
    id: int
    name: str
    payload: dict


'''
FUNCTION = """\
@bp.route("/{name}/{index}", methods=["GET", "POST"])
def handler_{index}():
    data = request.get_json(silent=True) or {{}}
    items = [{title}Record(i, str(i), data) for i in range(int(data.get("n", 3)))]
    total = sum(len(json.dumps(item.payload)) for item in items)
    if os.environ.get("DEBUG_{index}"):
        log.info("handled %s items (%s bytes)", len(items), total)
    if data.get("convert"):
        subprocess.run(["convert", data["src"], data["dst"]], check=True)
    return jsonify(count=len(items), total=total)


"""


def typical_app(root: Path) -> Path:
    """A Flask app: app.py + 5 blueprint modules, ~600 lines; start.sh execs python app.py."""
    names = ["users", "orders", "billing", "reports", "images"]
    for name in names:
        body = MODULE.format(name=name, title=name.title())
        body += "".join(FUNCTION.format(name=name, title=name.title(), index=i) for i in range(9))
        (root / "views").mkdir(exist_ok=True)
        (root / "views" / f"{name}.py").write_text(body)
    (root / "views" / "__init__.py").write_text("")
    imports = "\n".join(f"from views.{n} import bp as {n}_bp" for n in names)
    registers = "\n".join(f"app.register_blueprint({n}_bp)" for n in names)
    (root / "app.py").write_text(
        f"import os\n\nfrom flask import Flask\n\n{imports}\n\napp = Flask(__name__)\n"
        f"{registers}\n\nif __name__ == '__main__':\n    app.run(host='0.0.0.0')\n"
    )
    (root / "start.sh").write_text(
        textwrap.dedent(
            """\
            #!/bin/sh
            set -e
            if [ -n "$DATABASE_URL" ]; then
              python manage_db.py upgrade
            fi
            exec python app.py "$@"
            """
        )
    )
    (root / "Dockerfile").write_text(
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
        'RUN pip install -r requirements.txt\nCOPY . .\nENTRYPOINT ["./start.sh"]\n'
    )
    return root / "Dockerfile"


def python_lines(dockerfile: Path) -> int:
    return sum(len(p.read_text().splitlines()) for p in dockerfile.parent.rglob("*.py"))


RUN = """
import json, statistics, sys, time
sys.path.insert(0, {repo!r})
import initlint.evidence
import initlint.pipeline as pipeline
from initlint.checks.registry import ALL_RULES
if {without!r}:
    pipeline.attach_evidence = lambda spec, *args, **kwargs: spec
path = {path!r}
text = open(path).read()
start = time.process_time()
pipeline.lint_text(text, path, ALL_RULES)
cold = (time.process_time() - start) * 1000
times = []
for _ in range({runs}):
    start = time.process_time()
    pipeline.lint_text(text, path, ALL_RULES)
    times.append((time.process_time() - start) * 1000)
print(json.dumps({{"cold": cold, "warm": statistics.median(times),
                   "libcst": "libcst" in sys.modules}}))
"""


def measure(dockerfile: Path, runs: int, without: bool) -> dict[str, float]:
    code = RUN.format(repo=str(REPO), path=str(dockerfile), runs=runs, without=without)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    result: dict[str, float] = json.loads(out)
    return result


def added(dockerfile: Path, runs: int, repeats: int) -> tuple[float, float, bool]:
    """Added cold and warm ms (min over ``repeats`` fresh processes of each kind)."""
    cold: list[float] = []
    warm: list[float] = []
    libcst = False
    for _ in range(repeats):
        with_evidence = measure(dockerfile, runs, without=False)
        without = measure(dockerfile, runs, without=True)
        cold.append(with_evidence["cold"] - without["cold"])
        warm.append(with_evidence["warm"] - without["warm"])
        libcst = libcst or bool(with_evidence["libcst"])
    return min(cold), min(warm), libcst


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="warm lints per process")
    parser.add_argument("--repeats", type=int, default=3, help="fresh processes per mode")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)")
    worst = 0.0
    with tempfile.TemporaryDirectory() as temp:
        projects = [("typical (generated)", typical_app(Path(temp)))]
        projects += [(p.name, p / "Dockerfile") for p in sorted(APPS.iterdir())]
        print(f"{'project':28} {'py lines':>8} {'+cold ms':>9} {'+warm ms':>9}  libcst")
        for name, dockerfile in projects:
            cold, warm, libcst = added(dockerfile, args.runs, args.repeats)
            worst = max(worst, cold, warm)
            print(
                f"{name:28} {python_lines(dockerfile):8} {cold:9.1f} {warm:9.1f}  "
                f"{'imported' if libcst else 'no'}"
            )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(f"worst added time {worst:.1f} ms per Dockerfile (budget {BUDGET_MS:.0f} ms)")
    return 0 if worst <= BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())

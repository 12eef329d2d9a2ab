"""initlint on a folder of real-world files: findings by rule, errors and skips by cause, time.

    .venv/bin/python benchmarks/real_world.py DIR [DIR ...] [--sample N] [--seed S]
                     [--rule IL101] [--json OUT] [--docker]

DIR is any folder: a checkout of public repositories, say (the team keeps one, not committed,
under /work/corpus). Discovery is initlint's own (the usual Dockerfile and compose names,
YAML files that look like Kubernetes manifests), so the numbers are what a user running
``initlint DIR`` gets. Base images are judged by name (``--no-docker``) unless ``--docker``
is given, so the result does not depend on what the local engine happens to hold.

Prints:
- files linted, by kind (Dockerfile, compose, Kubernetes);
- findings by rule and severity, and how many files have at least one;
- input errors by cause (the message with paths, numbers and quoted words blanked), with one
  example each; discovered files skipped, by cause;
- wall and CPU time, and per file.

``--sample N`` prints N findings drawn at random (reproducible with ``--seed``), each with its
file, line and message, for judging by hand; ``--rule`` restricts the sample to some rules.
``--json OUT`` writes every finding and error for later comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from initlint.discovery import is_dockerfile_name  # noqa: E402
from initlint.pipeline import FileReport, LintOptions, run  # noqa: E402
from initlint.sources.yaml_inputs import is_compose_name  # noqa: E402


@dataclass(frozen=True)
class Row:
    path: str
    line: int
    rule: str
    severity: str
    message: str


def _kind(path: str) -> str:
    name = os.path.basename(path)
    if is_dockerfile_name(name):
        return "Dockerfile"
    if is_compose_name(name):
        return "compose"
    return "Kubernetes/other YAML"


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`")
_NUMBER = re.compile(r"\b\d+\b")


def cause_of(message: str) -> str:
    """The message with what varies from file to file blanked, to group errors by cause."""
    return _NUMBER.sub("N", _QUOTED.sub("'…'", message)).strip()


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def lint(folders: Sequence[str], use_docker: bool) -> tuple[list[FileReport], float, float]:
    wall, cpu = time.perf_counter(), _cpu()
    report = run(folders, LintOptions(use_docker=use_docker, failure_threshold="none"))
    return report.files, time.perf_counter() - wall, _cpu() - cpu


def summarize(files: list[FileReport], wall: float, cpu: float) -> str:
    out: list[str] = []
    kinds = Counter(_kind(f.path) for f in files if not f.skipped)
    linted = sum(kinds.values())
    out.append(f"files linted: {linted} ({', '.join(f'{n} {k}' for k, n in kinds.most_common())})")

    by_rule: Counter[str] = Counter()
    by_rule_severity: dict[str, Counter[str]] = defaultdict(Counter)
    files_with: Counter[str] = Counter()
    for report in files:
        for finding in report.findings:
            by_rule[finding.rule_id] += 1
            by_rule_severity[finding.rule_id][finding.severity.name.lower()] += 1
        for rule in {finding.rule_id for finding in report.findings}:
            files_with[rule] += 1
    total = sum(by_rule.values())
    flagged = sum(1 for report in files if report.findings)
    out.append(f"findings: {total} in {flagged} files")
    out.append("")
    out.append("| rule | findings | files | severities |")
    out.append("|---|---:|---:|---|")
    for rule in sorted(by_rule):
        severities = ", ".join(f"{n} {s}" for s, n in by_rule_severity[rule].most_common())
        out.append(f"| {rule} | {by_rule[rule]} | {files_with[rule]} | {severities} |")

    errors: dict[str, list[str]] = defaultdict(list)
    for report in files:
        if report.error is not None:
            errors[cause_of(report.error.message)].append(str(report.error))
    out.append("")
    out.append(f"input errors: {sum(len(v) for v in errors.values())}")
    for cause, examples in sorted(errors.items(), key=lambda item: -len(item[1])):
        out.append(f"  {len(examples):5d}  {cause}")
        out.append(f"         e.g. {examples[0]}")

    skipped: dict[str, list[str]] = defaultdict(list)
    for report in files:
        if report.skipped:
            reason = report.skipped.split(": ", 1)[-1]
            skipped[cause_of(reason)].append(report.path)
    count = sum(map(len, skipped.values()))
    out.append(f"skipped (discovered, not compose or Kubernetes): {count}")
    for cause, paths in sorted(skipped.items(), key=lambda item: -len(item[1])):
        out.append(f"  {len(paths):5d}  {cause}  (e.g. {paths[0]})")

    per_file = wall / len(files) * 1000 if files else 0.0
    out.append("")
    out.append(f"time: {wall:.2f} s wall, {cpu:.2f} s CPU, {per_file:.1f} ms per file")
    return "\n".join(out)


def rows_of(files: list[FileReport]) -> list[Row]:
    return [
        Row(f.span.path, f.span.line, f.rule_id, f.severity.name.lower(), f.message)
        for report in files
        for f in report.findings
    ]


def sample(rows: list[Row], count: int, seed: int, rules: Sequence[str]) -> list[Row]:
    pool = [row for row in rows if not rules or row.rule in rules]
    return random.Random(seed).sample(pool, min(count, len(pool)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folders", nargs="+")
    parser.add_argument("--sample", type=int, default=0, help="print N random findings")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--rule", action="append", default=[], help="sample only these rules")
    parser.add_argument("--json", help="write every finding and error to this file")
    parser.add_argument(
        "--docker", action="store_true", help="let the local engine's images inform base facts"
    )
    args = parser.parse_args(argv)
    files, wall, cpu = lint(args.folders, args.docker)
    print(summarize(files, wall, cpu))
    rows = rows_of(files)
    if args.sample:
        print("")
        print(f"sample of {args.sample} findings (seed {args.seed}):")
        for row in sample(rows, args.sample, args.seed, args.rule):
            print(f"{row.path}:{row.line}: {row.rule} [{row.severity}] {row.message}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(
                {
                    "findings": [row.__dict__ for row in rows],
                    "errors": [str(f.error) for f in files if f.error is not None],
                    "skipped": {f.path: f.skipped for f in files if f.skipped},
                },
                handle,
                indent=1,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Running the matrix: write each configuration's files, predict, build, measure, compare."""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import docker
import docker.errors

from initlint.engine.probe import ProbeResult, measured_prediction, probe_one
from initlint.engine.probe import _Session as ProbeSession
from tests.support.build_context import write_files
from tests.support.docker_env import TEST_OWNER, build_image
from tests.truth.cases import Case, case_tag
from tests.truth.fixes import FixProof, apply_fixes
from tests.truth.images import TruthImageFailed, ensure_truth_base, jdk_home
from tests.truth.measure import GRACE, Truth, measure_compose, measure_image
from tests.truth.static import Predicted, predict


@dataclass
class Row:
    case: Case
    predicted: Predicted
    truth: Truth
    probe: ProbeResult | None = None  # ``initlint --probe`` on the same image

    @property
    def probe_agrees(self) -> bool | None:
        """The probe judged by the same comparison (None: not probed)."""
        if self.probe is None:
            return None
        measured = measured_prediction(self.probe)
        return measured.stop == self.truth.stop and measured.reaps == self.truth.reaps

    def _agrees(self, predicted: str, measured: str) -> bool:
        if predicted == "unknown":
            return not self.case.determined
        return predicted == measured

    @property
    def stop_agrees(self) -> bool:
        return self._agrees(self.predicted.stop, self.truth.stop)

    @property
    def reaps_agrees(self) -> bool:
        return self._agrees(self.predicted.reaps, self.truth.reaps)

    @property
    def agrees(self) -> bool:
        return self.stop_agrees and self.reaps_agrees

    def describe(self) -> str:
        t, p = self.truth, self.predicted
        took = "-" if t.stop_seconds is None else f"{t.stop_seconds:.2f} s"
        return (
            f"{self.case.id}: measured stop {t.stop} ({took}, exit {t.exit_code}), reaps "
            f"{t.reaps} (zombies {t.zombies}); predicted stop {p.stop}, reaps {p.reaps} "
            f"{list(p.rules)}{' ' + t.error if t.error else ''}"
            f"{' ' + p.error if p.error else ''}"
        )


def java_available() -> bool:
    return jdk_home() is not None


def write_context(case: Case, folder: Path, base: str) -> Path:
    """The configuration's files under ``folder``; returns the file initlint is given."""
    write_files(folder, case.files)
    (folder / "Dockerfile").write_text(case.dockerfile.replace("{base}", base))
    if case.compose is not None:
        text = case.compose.replace("{image}", case.tag).replace("{owner}", TEST_OWNER)
        (folder / "compose.yaml").write_text(text)
        return folder / "compose.yaml"
    if case.kubernetes is not None:
        twin_tag = case_tag(case.twin)
        (folder / "pod.yaml").write_text(case.kubernetes.replace("{image}", twin_tag))
        return folder / "pod.yaml"
    return folder / "Dockerfile"


def with_twins(chosen: Iterable[Case], everything: Sequence[Case]) -> list[Case]:
    """``chosen`` plus the Dockerfile twins its Kubernetes cases are checked against."""
    by_id = {case.id: case for case in everything}
    result = list(chosen)
    ids = {case.id for case in result}
    for case in list(result):
        if case.twin and case.twin not in ids:
            result.append(by_id[case.twin])
            ids.add(case.twin)
    return result


def measure_case(client: docker.DockerClient, case: Case, folder: Path) -> Truth:
    """Build the folder as the case's image and measure it the case's way."""
    started = time.monotonic()
    if case.source == "kubernetes":
        return measure_pod(client, case, folder / "pod.yaml")
    try:
        build_image(client, folder, case.tag)
    except Exception as error:
        # the shared engine: a layer cached from an image someone just removed; build again
        if "image" not in str(error):
            return Truth(error=f"build failed: {error}"[:3000])
        try:
            build_image(client, folder, case.tag)
        except Exception as again:
            return Truth(error=f"build failed: {again}"[:3000])
    built = time.monotonic()
    try:
        if case.source == "compose":
            project = f"truth{os.getpid()}x{next(_projects)}"
            truth = measure_compose(client, folder, project, GRACE)
        else:
            truth = measure_image(client, case.tag, GRACE)
    except Exception as error:
        truth = Truth(error=f"{type(error).__name__}: {error}")
    truth.timings = {"build": built - started, "run": time.monotonic() - built}
    return truth


_projects = itertools.count()


def measure_pod(client: docker.DockerClient, case: Case, manifest: Path) -> Truth:
    """A Pod's container run the way the kubelet runs it, on the twin's image: ``command``
    replaces the ENTRYPOINT (and with it the image's CMD), ``args`` replaces the CMD."""
    from ruamel.yaml import YAML

    pod = YAML(typ="safe").load(manifest.read_text())
    spec = pod["spec"]
    if spec.get("shareProcessNamespace"):
        return Truth(error="shareProcessNamespace (a pause container as PID 1) is not emulated")
    container = spec["containers"][0]
    kwargs: dict[str, object] = {}
    if "command" in container:
        kwargs["entrypoint"] = list(container["command"])
        kwargs["command"] = list(container.get("args") or [])
    elif "args" in container:
        kwargs["command"] = list(container["args"])
    try:
        return measure_image(client, case_tag(case.twin), GRACE, **kwargs)
    except Exception as error:
        return Truth(error=f"{type(error).__name__}: {error}")


# the probe's wait before it stops the container (the truth protocol settles 1 s)
PROBE_WAIT = 1.0


@dataclass
class MatrixResult:
    rows: list[Row]
    proofs: list[FixProof]


def run_matrix(
    client: docker.DockerClient,
    cases: Sequence[Case],
    workdir: Path,
    jobs: int = 3,
    progress: Callable[[int, int, Row], None] | None = None,
    fixes: bool = False,
    probe: bool = False,
) -> MatrixResult:
    """Predict and measure every case (Kubernetes ones take their twin's truth); with
    ``fixes``, also fix each case's files both ways, rebuild and measure again; with
    ``probe``, run ``initlint --probe`` on each Dockerfile case's image too."""
    bases: dict[str, str] = {}
    for flavour in sorted({case.flavour for case in cases}):
        try:
            bases[flavour] = ensure_truth_base(client, flavour)
        except TruthImageFailed as failure:
            raise RuntimeError(f"base image {flavour}: {failure}") from failure
    folders: dict[str, Path] = {}
    predictions: dict[str, Predicted] = {}
    proofs: dict[str, list[FixProof]] = {}
    # linting (and fixing) stays in this thread: the pipeline is not made for threads
    for case in cases:
        folder = workdir / case.id
        path = write_context(case, folder, bases[case.flavour])
        folders[case.id] = folder
        predictions[case.id] = predict(path)
        if fixes and predictions[case.id].rules:
            for mode in ("fix", "unsafe"):
                proof = apply_fixes(case, folder, mode, workdir / "fixed" / mode / case.id)
                if proof.applied or proof.error:
                    proofs.setdefault(case.id, []).append(proof)
    truths: dict[str, Truth] = {}
    lock = threading.Lock()
    rows: dict[str, Row] = {}

    session = ProbeSession(client)

    def one(case: Case) -> None:
        truth = measure_case(client, case, folders[case.id])
        probed = None
        if probe and case.source == "dockerfile" and truth.error is None:
            probed = probe_one(session, case.tag, wait=PROBE_WAIT, grace=GRACE)
        for proof in proofs.get(case.id, []):
            proof.before = truth
            if proof.error is None and proof.folder is not None:
                proof.after = measure_case(client, case, proof.folder)
        with lock:
            truths[case.id] = truth
            rows[case.id] = Row(case, predictions[case.id], truth, probed)
            if progress:
                progress(len(rows), len(cases), rows[case.id])

    def pod(case: Case) -> None:
        assert case.twin is not None
        twin = truths.get(case.twin) or Truth(error=f"twin {case.twin} was not measured")
        for proof in proofs.get(case.id, []):
            proof.before = twin
            if proof.error is None and proof.folder is not None:
                proof.after = measure_case(client, case, proof.folder)
        with lock:
            rows[case.id] = Row(case, predictions[case.id], twin)

    measured = [case for case in cases if case.source != "kubernetes"]
    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(one, measured))
            # the Pods run on their twins' images: those are all built by now
            list(pool.map(pod, [case for case in cases if case.source == "kubernetes"]))
    finally:
        # only now: the builds of other cases may be using these images' layers as cache
        for case in measured:
            with contextlib.suppress(docker.errors.APIError):
                client.images.remove(case.tag, force=True)
    return MatrixResult(
        [rows[case.id] for case in cases],
        [proof for case in cases for proof in proofs.get(case.id, [])],
    )


def proof_table(proofs: Sequence[FixProof]) -> str:
    if not proofs:
        return "fixes: no configuration has a fixable finding"
    lines = []
    elsewhere = [p for p in proofs if not p.provable]
    for mode in ("fix", "unsafe"):
        chosen = [p for p in proofs if p.mode == mode and p.provable]
        ok = sum(p.ok for p in chosen)
        graceful = sum(p.graceful for p in chosen)
        same = sum(p.same_programs for p in chosen)
        flag = "--fix" if mode == "fix" else "--fix --unsafe-fixes"
        lines.append(
            f"{flag}: {len(chosen)} configurations changed; same programs {same}, graceful "
            f"after {graceful}, proven {ok}/{len(chosen)}"
        )
    if elsewhere:
        lines.append(
            f"not runnable here ({len(elsewhere)}): "
            + ", ".join(
                f"{p.case.id} --{p.mode} ({p.after.error if p.after else ''})" for p in elsewhere
            )
        )
    bad = [p for p in proofs if not p.ok]
    if bad:
        lines.append(f"fixes not proven ({len(bad)}):")
        lines.extend("  " + p.describe() for p in bad)
    return "\n".join(lines)


def agreement_table(rows: Sequence[Row]) -> str:
    """Agreement per source and per dimension value, then every disagreement."""
    lines = []
    total = len(rows)
    agree = sum(row.agrees for row in rows)
    stop = sum(row.stop_agrees for row in rows)
    reaps = sum(row.reaps_agrees for row in rows)
    lines.append(
        f"configurations: {total}; agree on both: {agree}/{total} ({100 * agree / total:.1f}%); "
        f"stop: {stop}/{total}; reaps: {reaps}/{total}"
    )
    per: dict[tuple[str, str], Counter[str]] = {}
    for row in rows:
        for dim, value in row.case.dims:
            counter = per.setdefault((dim, value), Counter())
            counter["n"] += 1
            counter["agree"] += row.agrees
    lines.append(f"{'dimension':12} {'value':16} {'cases':>6} {'agree':>6}")
    for (dim, value), counter in sorted(per.items()):
        lines.append(f"{dim:12} {value:16} {counter['n']:6} {counter['agree']:6}")
    probed = [row for row in rows if row.probe is not None]
    if probed:
        same = sum(bool(row.probe_agrees) for row in probed)
        lines.append(
            f"initlint --probe agrees with the measured truth: {same}/{len(probed)} "
            "(the configurations that are images: Dockerfile cases)"
        )
    truth_counts = Counter(row.truth.stop for row in rows)
    lines.append(f"measured stops: {dict(truth_counts)}")
    lines.append(f"measured reaps: {dict(Counter(row.truth.reaps for row in rows))}")
    bad = [row for row in rows if not row.agrees]
    if bad:
        lines.append(f"disagreements ({len(bad)}):")
        lines.extend("  " + row.describe() for row in bad)
    wrong_probes = [row for row in probed if not row.probe_agrees]
    if wrong_probes:
        lines.append(f"probe disagreements ({len(wrong_probes)}):")
        for row in wrong_probes:
            assert row.probe is not None
            lines.append(
                f"  {row.case.id}: probe stop {measured_prediction(row.probe).stop} reaps "
                f"{row.probe.reaps} "
                f"(zombies {row.probe.zombies}, orphan test {row.probe.orphans_left}, "
                f"error {row.probe.error}); measured stop {row.truth.stop} reaps {row.truth.reaps}"
            )
    return "\n".join(lines)


def print_progress(done: int, total: int, row: Row) -> None:
    mark = "ok " if row.agrees else "DIS"
    print(f"[{done}/{total}] {mark} {row.describe()}", file=sys.stderr, flush=True)

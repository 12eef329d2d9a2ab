"""The predictions as JSON-able data: the ``runtimes`` of ``--format json`` and of SARIF's
run property bag, one object per runtime."""

from __future__ import annotations

from typing import Any

from initlint.model import Link, Measurement, Prediction


def link_object(link: Link) -> dict[str, Any]:
    return {
        "role": link.role,
        "argv": list(link.argv),
        "evidence": link.evidence,
        "pid1": link.is_pid1,
    }


def runtime_object(prediction: Prediction) -> dict[str, Any]:
    return {
        "path": prediction.path,
        "line": prediction.line,
        "target": prediction.target,
        "pid1": list(prediction.pid1),
        "stop": prediction.stop,
        "signal": prediction.signal,
        "receiver": prediction.receiver,
        "reaps": prediction.reaps,
        "why": prediction.why,
        "chain": [link_object(link) for link in prediction.chain],
        # --probe: the times and counts behind the fields above; None for a static prediction
        "measured": None if prediction.measured is None else measured_object(prediction.measured),
    }


def measured_object(measured: Measurement) -> dict[str, Any]:
    return {
        "wait_seconds": measured.wait_seconds,
        "grace_seconds": measured.grace_seconds,
        "stop_seconds": measured.stop_seconds,
        "exit_code": measured.exit_code,
        "killed_after_grace": measured.killed_after_grace,
        "zombies": measured.zombies,
        "zombie_source": measured.zombie_source,
    }

"""Message pieces for the evidence rules (IL201-IL302), in the words of pid1.describe."""

from __future__ import annotations

import posixpath
import shlex

from initlint.pid1.describe import quote, stop_name, stop_signal

__all__ = [
    "init_strategy_known",
    "measured_pid1",
    "pid1_label",
    "pid1_span",
    "stop_name",
    "stop_outcome",
]
from initlint.knowledge.images import base_facts
from initlint.knowledge.programs import program_name
from initlint.model import AppEvidence, Command, Prediction, RuntimeSpec, Span

WHOLE_GRACE = "wait the whole grace period, then SIGKILL"


def measured_pid1(prediction: Prediction) -> str:
    """PID 1's command line as --probe messages quote it, ``?`` when unknown."""
    return shlex.join(prediction.pid1) if prediction.pid1 else "?"


def pid1_label(evidence: AppEvidence) -> str:
    """``python3 (app.py)``, ``node (server.js)``, ``the shell running /start.sh``."""
    argv = evidence.pid1_argv
    if evidence.pid1_kind == "shell-script" and evidence.script is not None:
        return f"the shell running {evidence.script.image_path}"
    if evidence.pid1_kind in ("python", "node") and argv:
        name = program_name(argv[0])
        if "-m" in argv[1:-1]:
            return f"{name} -m {argv[argv.index('-m', 1) + 1]}"
        if evidence.entry_image_path:
            return f"{name} ({posixpath.basename(evidence.entry_image_path)})"
        return name
    return quote(" ".join(argv))


def stop_outcome(evidence: AppEvidence, spec: RuntimeSpec) -> str:
    stop, signal = stop_name(spec), stop_signal(spec)
    if evidence.sigterm_handled:
        return f"{stop}'s {signal} reaches its handler"
    if evidence.sigterm_handled is False:
        return f"{stop}'s {signal} is dropped (no handler), so {stop} will {WHOLE_GRACE}"
    return f"what {stop}'s {signal} does depends on code initlint cannot read"


def pid1_span(spec: RuntimeSpec) -> Span:
    command: Command | None = spec.pid1_command
    return command.span if command is not None else spec.span


def init_strategy_known(spec: RuntimeSpec) -> bool:
    """Whether ``--init-strategy auto`` will find a way to add an init to this image."""
    facts = base_facts(spec)
    if facts.has_python3:
        return True
    if any("python3" in run.value for run in spec.run_commands):
        return True
    return facts.package_manager in ("apt", "apk", "dnf")

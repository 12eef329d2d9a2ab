"""The fix loop for compose files and Kubernetes manifests (the engine is source-agnostic)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Union

from initlint.fixes.engine import LintText, fix_text
from initlint.fixes.plan import FixOutcome, FixPlan, NoFix
from initlint.model import Edit, Finding, InjectInit, SourceKind

if TYPE_CHECKING:
    from initlint.fixes.compose import ComposeFixer
    from initlint.fixes.kubernetes import KubernetesFixer

    YamlFixer = Union[ComposeFixer, KubernetesFixer]


def yaml_fixer(text: str, path: str) -> YamlFixer:
    from initlint.fixes.compose import ComposeFixer
    from initlint.fixes.kubernetes import KubernetesFixer
    from initlint.sources.yaml_inputs import load_yaml

    kind = load_yaml(text, path).kind
    return ComposeFixer(text, path) if kind is SourceKind.COMPOSE else KubernetesFixer(text, path)


def plan_yaml_fix(
    text: str, path: str, finding: Finding, strategy: str = "auto"
) -> FixPlan | NoFix:
    if strategy == "none" and finding.fix and isinstance(finding.fix.intent, InjectInit):
        return NoFix("--init-strategy none: no init is added")
    return yaml_fixer(text, path).plan(finding)


def fix_yaml_text(
    text: str,
    path: str,
    lint: LintText,
    unsafe: bool,
    max_rounds: int | None = None,
    strategy: str = "auto",
) -> FixOutcome:
    """Apply the allowed fixes to a compose file or manifests (nothing is written).

    Any ``--init-strategy`` but ``none`` adds the init the source has (compose ``init: true``,
    Kubernetes ``shareProcessNamespace``); the image-based strategies are for Dockerfiles.
    """

    def plan(current: str, finding: Finding) -> FixPlan | NoFix:
        return plan_yaml_fix(current, path, finding, strategy)

    return fix_text(path, text, lint, plan, unsafe, max_rounds)


def planned_yaml_edits(
    text: str, path: str, findings: Sequence[Finding]
) -> dict[int, tuple[Edit, ...]]:
    """The edits each finding's fix would make (for SARIF ``fixes``); best effort."""
    edits: dict[int, tuple[Edit, ...]] = {}
    try:
        fixer = yaml_fixer(text, path)
    except Exception:
        return edits
    for index, finding in enumerate(findings):
        if finding.fix is None or finding.fix.intent is None:
            continue
        try:
            plan = fixer.plan(finding)
        except Exception:
            continue
        if isinstance(plan, FixPlan) and plan.edits:
            edits[index] = plan.edits
    return edits

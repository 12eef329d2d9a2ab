"""The init fix as each source can apply it: compose has ``init: true``; Kubernetes has no
``--init``, only ``shareProcessNamespace`` (with a caveat, hence unsafe)."""

from __future__ import annotations

from initlint.model import Applicability, Fix, InjectInit, RuntimeSpec, SourceKind

SHARE_PROCESS_NAMESPACE_CAVEAT = (
    "the pod's pause container becomes PID 1 and reaps orphans, and the app, no longer PID 1, "
    "gets SIGTERM's default action; but every container of the pod then sees and can signal "
    "the others' processes: an init in the image is the better fix"
)


def runtime_init_fix(spec: RuntimeSpec, rule_id: str) -> Fix | None:
    """The fix that adds an init from the compose file or manifest, None for other sources."""
    if spec.source_kind is SourceKind.COMPOSE:
        return Fix(
            Applicability.SAFE,
            "set init: true in the service (docker-init reaps orphans and forwards signals)",
            InjectInit(rule_id),
        )
    if spec.source_kind is SourceKind.KUBERNETES:
        return Fix(
            Applicability.UNSAFE,
            f"set shareProcessNamespace: true in the pod spec ({SHARE_PROCESS_NAMESPACE_CAVEAT})",
            InjectInit(rule_id),
        )
    return None


def image_init_fix(rule_id: str) -> Fix:
    """The fixer picks the strategy (or --init-strategy names one) and says when none fits."""
    return Fix(Applicability.SAFE, "put an init in front of the app", InjectInit(rule_id))


def init_fix(spec: RuntimeSpec, rule_id: str) -> Fix:
    """The compose or manifest fix where there is one, otherwise an init in the image."""
    return runtime_init_fix(spec, rule_id) or image_init_fix(rule_id)

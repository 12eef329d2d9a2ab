"""Evidence for containers with no build context to read (Kubernetes, compose ``image:``).

Without the app's sources only the knowledge table can speak: a PID 1 program known to leave
orphaned children (headless Chrome) is evidence enough for IL201. Nothing else is claimed, so
the rules that need the app's code (IL202, IL301, ...) stay quiet.
"""

from __future__ import annotations

from initlint.model import AppEvidence, RuntimeSpec


def known_program_evidence(spec: RuntimeSpec) -> AppEvidence | None:
    from initlint.knowledge.programs import lookup
    from initlint.model import LaunchKind
    from initlint.pid1.startup import startup_of

    if spec.init is not None or not spec.argv:
        return None
    pid1 = startup_of(spec)
    if pid1 is None or pid1.launch.kind is not LaunchKind.PROGRAM or not pid1.launch.program:
        return None
    known = lookup(pid1.launch.program[0])
    if known is None or not known.orphans_children:
        return None
    return AppEvidence(
        pid1_argv=tuple(pid1.launch.program),
        pid1_kind="program",
        sigterm_handled=known.handles_sigterm,
        reaps_orphans=False,
        notes=(f"{pid1.launch.program[0]}: {known.note}",),
    )

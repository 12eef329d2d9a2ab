"""The fixed CI subset: every dimension value of the matrix appears in at least one case."""

from __future__ import annotations

from collections.abc import Sequence

from tests.truth.cases import Case

# Chosen by hand from the full matrix's results: every dimension value, the table rows,
# and the configurations where shells, traps and inits decide the stop (a trap that can run in
# `wait` but not behind `tail`, tini forwarding to the shell only, dumb-init to the group).
# `python -m tests.truth.subset` prints a greedy cover to start from. Kept fixed: CI is stable.
CI_CASES: tuple[str, ...] = (
    "prog.dash.py-handler.exec.none",
    "prog.dash.py-plain.exec.none",
    "prog.dash.py-plain.exec.none.sigint",
    "prog.dash.spawner.exec.none",
    "prog.dash.spawner.exec.tini",
    "prog.dash.sleep.exec.initlint-init",
    "prog.dash.tail.exec.dumb-init",
    "prog.dash.py-handler.shell.none",
    "prog.dash.py-handler.shell.tini.sigint",
    "prog.dash.py-handler.sh-c.none",
    "prog.dash.py-plain.sh-c-exec.none",
    "prog.dash.py-handler.bash-c.none",
    "prog.bash.py-handler.shell.none",
    "prog.bash.sleep.sh-c.none",
    "prog.busybox.sleep.shell.none",
    "prog.busybox.tail.sh-c.tini",
    "prog.busybox.sleep.exec.dumb-init",
    "prog.java.java.exec.none",
    "prog.java.java.sh-c.none",
    "script.dash.sh.jobs0.none.args.none",
    "script.dash.sh.jobs0.none.exec-args.none",
    "script.dash.sh.jobs1.exit.wait.none",
    "script.dash.sh.jobs1.none.wait.none",
    "script.dash.sh.jobs2.ignore.wait.none",
    "script.dash.sh.jobs1.forward.tail.none",
    "script.dash.sh.jobs0.exit.while-sleep.none",
    "script.dash.sh.jobs0.none.while-sleep.none",
    "script.dash.sh.jobs1.none.exec-program.none",
    "script.dash.sh.jobs0.exit.sleep-infinity.none",
    "script.dash.sh.jobs2.forward.wait.none",
    "script.dash.bash.jobs2.exit.tail.none",
    "script.dash.bash.jobs2.forward.while-sleep.none",
    "script.bash.sh.jobs1.exit.program.none",
    "script.busybox.sh.jobs1.none.exec-program.none",
    "script.busybox.sh.jobs1.exit.wait.none",
    "script.dash.sh.jobs0.exit.tail.tini",
    "script.dash.sh.jobs0.exit.tail.dumb-init",
    "script.dash.sh.jobs0.none.args.initlint-init",
    "script.dash.sh.jobs0.ignore.exec-args.tini",
    "script.dash.sh.jobs1.none.program.none.viashell",
    "issue-row1",
    "issue-row2",
    "issue-row3",
    "issue-row4",
    "compose.dash.py-plain.exec.init",
    "compose.dash.script-jobs0-exit-tail.init",
    "compose.dash.py-plain.string.init",
    "compose.dash.py-handler.sh-c",
    "compose.dash.sleep.exec.sigint",
    "k8s.prog.dash.sleep.exec.none",
    "k8s.prog.dash.tail.sh-c.tini",
    "k8s.sh-c-dashdash-args",
    "k8s.script.dash.sh.jobs1.none.tail.none",
)


def dimension_values(cases: Sequence[Case]) -> set[tuple[str, str]]:
    return {pair for case in cases for pair in case.dims}


def greedy_cover(cases: Sequence[Case], start: Sequence[str] = ()) -> list[str]:
    """Case ids that together show every dimension value, fewest first-found."""
    by_id = {case.id: case for case in cases}
    chosen = list(start)
    seen = dimension_values([by_id[i] for i in chosen])
    wanted = dimension_values(cases)
    while seen < wanted:
        best = max(cases, key=lambda case: (len(set(case.dims) - seen), -len(case.id)))
        chosen.append(best.id)
        seen |= set(best.dims)
    return chosen


if __name__ == "__main__":
    from tests.truth.cases import all_cases

    everything = all_cases()
    print(greedy_cover(everything))

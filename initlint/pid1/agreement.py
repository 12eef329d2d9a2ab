"""Static against measured: where a prediction and what ``--probe`` measured of the same
runtime disagree. Both are :class:`~initlint.model.Prediction` values."""

from __future__ import annotations

from initlint.model import Prediction


def disagreements(static: Prediction, measured: Prediction) -> list[str]:
    """What the measurement contradicts in the static prediction (empty: they agree).

    A stop is compared when one was measured (a PID 1 that exits on its own during the wait
    leaves nothing to stop). Zero zombies is what a reaping PID 1 shows, and also what an app
    that orphans nothing shows, so reaping is compared one way each: zombies contradict a
    static "yes" or "unknown", and a static "yes" needs zero zombies.
    """
    found: list[str] = []
    if measured.stop != "unknown" and static.stop != measured.stop:
        found.append(f"stop: predicted {static.stop}, measured {measured.stop}")
    if measured.reaps == "no" and static.reaps != "no":
        found.append(f"reaps: predicted {static.reaps}, measured zombies")
    if static.reaps == "yes" and measured.reaps == "no":
        found.append("reaps: predicted yes, measured zombies")
    return found

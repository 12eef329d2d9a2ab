"""Helper programs the init tests run as the init's child (tests/init/programs)."""

from __future__ import annotations

import sys
from pathlib import Path

PROGRAMS = Path(__file__).parent / "programs"


def program(name: str, *args: str) -> list[str]:
    """argv running one of the helper programs with the test interpreter."""
    return [sys.executable, "-I", str(PROGRAMS / f"{name}.py"), *args]

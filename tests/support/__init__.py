"""Shared helpers for tests that need the machine: Docker, PID namespaces, base images."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def skip_or_fail(reason: str) -> NoReturn:
    """A test cannot get what it needs: fail in CI (CI=true), skip elsewhere, with the reason."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"required test environment unavailable in CI: {reason}", pytrace=False)
    pytest.skip(reason)

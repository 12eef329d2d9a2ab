"""A run over a few Dockerfiles with the stub rules, for every format's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from initlint.pipeline import LintOptions, run
from initlint.results import RunReport
from tests.cli.stub_rules import STUB_RULES

FILES = {
    "api/Dockerfile": "FROM debian:12\nENTRYPOINT python3 /srv/api.py\n",
    "worker/Dockerfile": 'FROM debian:12\nCMD a\nCMD run --name "x,y:z" 100%\n',
    "ops/Dockerfile": 'FROM debian:12\nCMD ["supervisord", "-n"]\n',
    "clean/Dockerfile": 'FROM debian:12\nCMD ["/app"]\n',
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name, text in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


@pytest.fixture
def report(project: Path) -> RunReport:
    return run(sorted(FILES), LintOptions(), STUB_RULES)

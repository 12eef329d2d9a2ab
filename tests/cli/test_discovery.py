"""Which files a folder argument lints."""

from __future__ import annotations

from pathlib import Path

import pytest

from initlint.discovery import discover, is_dockerfile_name
from tests.cli.conftest import Invoke

FOUND = [
    "Dockerfile",
    "Dockerfile.prod",
    "api.Dockerfile",
    "worker.dockerfile",
    "Containerfile",
    "deep/er/Dockerfile",
]
NOT_FOUND = [
    "README.md",
    "dockerfile.txt",
    "Dockerfiles/notes.md",
    ".git/Dockerfile",
    "node_modules/pkg/Dockerfile",
    ".venv/Dockerfile",
    "venv/Dockerfile",
    "env/Dockerfile",  # a virtualenv by its pyvenv.cfg, whatever its name
]


@pytest.mark.parametrize("name", ["Dockerfile", "Dockerfile.dev", "a.Dockerfile", "Containerfile"])
def test_dockerfile_names(name: str) -> None:
    assert is_dockerfile_name(name)


@pytest.mark.parametrize("name", ["dockerfile.md", "Dockerfile-old", "x.Dockerfile.bak"])
def test_not_dockerfile_names(name: str) -> None:
    assert not is_dockerfile_name(name)


def test_folder_discovery_skips_vcs_node_modules_and_virtualenvs(tmp_path: Path) -> None:
    for name in FOUND + NOT_FOUND:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("FROM scratch\n", encoding="utf-8")
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    inputs, errors = discover([str(tmp_path)])
    assert errors == []
    found = sorted(Path(item.path).relative_to(tmp_path).as_posix() for item in inputs)
    assert found == sorted(FOUND)


def test_an_explicit_file_is_linted_whatever_its_name(tmp_path: Path) -> None:
    path = tmp_path / "build.txt"
    path.write_text("FROM scratch\n", encoding="utf-8")
    inputs, errors = discover([str(path)])
    assert [item.path for item in inputs] == [str(path)]
    assert errors == []


def test_each_file_once_in_command_line_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "Dockerfile").write_text("FROM scratch\n", encoding="utf-8")
    (tmp_path / "a.Dockerfile").write_text("FROM scratch\n", encoding="utf-8")
    inputs, _ = discover(
        [str(tmp_path / "a.Dockerfile"), str(tmp_path), str(tmp_path / "b" / "Dockerfile")]
    )
    assert [Path(item.path).name for item in inputs] == ["a.Dockerfile", "Dockerfile"]


def test_missing_path_is_an_error_and_an_empty_folder_a_note(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "Dockerfile").write_text('FROM scratch\nCMD ["/app"]\n', encoding="utf-8")
    result = invoke("missing", "empty", "ok")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "missing: error: no such file or directory",
        "empty: note: no Dockerfile, compose file or Kubernetes manifest in this folder",
    ]
    assert result.stdout == "No findings in 1 file.\n"

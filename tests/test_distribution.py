"""What a user installs: the sdist and wheel built from this tree (LICENSE, one version,
project URLs and classifiers, no test files in the sdist), built offline from the same
wheelhouse the pre-commit test fills."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from initlint import __version__
from initlint.fixes.vendoring import vendored_init, vendored_version
from tests.test_precommit import REPO_ROOT, wheelhouse

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheelhouse())}
    result = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(REPO_ROOT)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return out


def test_sdist_has_the_package_and_no_tests(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = [name.split("/", 1)[1] for name in archive.getnames() if "/" in name]
    assert "LICENSE" in names and "README.md" in names and "initlint/cli.py" in names
    assert "initlint/rule_pages/IL101.md" in names
    stray = [n for n in names if n.startswith(("tests/", "benchmarks/", "examples/"))]
    assert stray == []


def test_wheel_metadata(dist: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(metadata_name).decode("utf-8"))
    assert metadata["Version"] == __version__
    assert metadata["License-Expression"] == "MIT"
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    urls = dict(value.split(", ", 1) for value in metadata.get_all("Project-URL") or [])
    assert {"Homepage", "Repository", "Issues"} <= set(urls)
    classifiers = metadata.get_all("Classifier") or []
    assert "Topic :: Software Development :: Quality Assurance" in classifiers
    assert not any(n.startswith("tests/") for n in names)
    assert "initlint/knowledge/base_images.jsonl" in names  # the base-image table ships


def test_one_version_source() -> None:
    """initlint/__init__.py: pyproject reads it, the init reads or is stamped with it."""
    text = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in text and "\nversion =" not in text.split("[tool.")[0]
    init = subprocess.run(
        [sys.executable, str(REPO_ROOT / "initlint" / "init.py"), "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert init.stdout == f"initlint-init {__version__}\n"
    assert vendored_version(vendored_init()) == __version__
    assert f'\n_STAMPED_VERSION = "{__version__}"\n' in vendored_init()
    assert (REPO_ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")

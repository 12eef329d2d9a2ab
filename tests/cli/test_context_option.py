"""``--context DIR``: the app is read from the build context, not the Dockerfile's folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

APP = "import subprocess\n\nwhile True:\n    subprocess.Popen(['sleep', '1'])\n"
DOCKERFILE = 'FROM python:3.12-slim\nCOPY app.py /app.py\nCMD ["python3", "/app.py"]\n'


def rules_reported(*args: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-m", "initlint", "--no-docker", "--format", "github", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode in (0, 1), result.stderr
    return {line.split("title=")[1].split()[0] for line in result.stdout.splitlines()}


def test_the_app_is_found_only_in_the_context_given(tmp_path: Path) -> None:
    docker_dir = tmp_path / "docker"
    context = tmp_path / "src"
    docker_dir.mkdir()
    context.mkdir()
    (docker_dir / "Dockerfile").write_text(DOCKERFILE)
    (context / "app.py").write_text(APP)
    dockerfile = str(docker_dir / "Dockerfile")
    assert "IL201" not in rules_reported(dockerfile)  # no app.py beside the Dockerfile
    assert "IL201" in rules_reported("--context", str(context), dockerfile)

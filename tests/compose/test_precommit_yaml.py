"""The ``initlint-compose-k8s`` pre-commit hook, for real (``pre-commit try-repo``): compose
files and manifests are linted, other YAML is passed over, Helm templates are excluded."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_precommit import git, try_repo, wheelhouse

pytestmark = pytest.mark.slow

BAD = (
    "services:\n  web:\n    image: python:3.12-slim\n"
    '    command: ["sh", "-c", "cd /srv && python app.py"]\n'
)
HELM = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"
    "spec:\n  template:\n    spec:\n      containers:\n        - name: web\n"
    '          image: "{{ .Values.image }}"\n'
)


def test_compose_k8s_hook(tmp_path: Path) -> None:
    wheels = wheelhouse()
    project = tmp_path / "project"
    (project / ".github" / "workflows").mkdir(parents=True)
    (project / "charts" / "web" / "templates").mkdir(parents=True)
    git("init", "-q", cwd=project)
    compose = project / "compose.yaml"
    compose.write_text(BAD, encoding="utf-8")
    (project / ".github" / "workflows" / "ci.yml").write_text("on: push\njobs: {}\n")
    (project / "charts" / "web" / "templates" / "deployment.yaml").write_text(HELM)
    git("add", ".", cwd=project)

    failed = try_repo(project, wheels, "initlint-compose-k8s")
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    assert "compose.yaml:4:27: IL103 [warning]" in output, output
    assert "Helm" not in output and "error:" not in output, output
    assert ".github/workflows/ci.yml: note: skipped" in output  # passed over, not an error

    compose.write_text(BAD.replace("&& python", "&& exec python"), encoding="utf-8")
    git("add", ".", cwd=project)
    passed = try_repo(project, wheels, "initlint-compose-k8s")
    assert passed.returncode == 0, passed.stdout + passed.stderr

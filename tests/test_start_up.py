"""What one Dockerfile, as pre-commit passes it, loads: only the lint path.

Start-up is most of a one-file run (benchmarks/ci_bench.py measures it next to hadolint);
these tests keep modules that such a run has no use for off the path, without timing anything.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# Modules a plain lint of one Dockerfile has no use for, and what needs them instead.
NOT_ON_THE_LINT_PATH = (
    "initlint.fixes",  # --fix / --diff
    "initlint.engine",  # --image, --probe, --local-base-images
    "initlint.report.json_report",  # -f json
    "initlint.report.sarif",
    "initlint.report.gitlab",
    "initlint.report.github",
    "initlint.report.diff",
    "initlint.sources.compose",  # YAML inputs
    "initlint.sources.kubernetes",
    "initlint.sources.yaml_inputs",
    "yaml",
    "ruamel",
    "docker",
    "libcst",
    "dataclasses",  # records are NamedTuples (docs/architecture.md)
    "pathlib",  # paths are str on the lint path (pathlib imports urllib.parse, ipaddress ...)
    "tomllib",  # no configuration file here to read
    "tomli",
)

SHELL_FORM = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD gunicorn --bind :8000 app:app\n"
APP = "from flask import Flask\napp = Flask(__name__)\n"
EXEC_FORM = 'FROM node:20-bookworm-slim\nWORKDIR /app\nCOPY . .\nCMD ["npm", "start"]\n'
PACKAGE_JSON = '{"name": "web", "scripts": {"start": "node server.js"}}\n'
ENTRYPOINT_SCRIPT = (
    'FROM debian:12-slim\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n'
)
SCRIPT = "#!/bin/sh\nset -e\necho starting\npython3 /app/worker.py\n"

SUPERVISORD = 'FROM debian:12-slim\nRUN apt-get install -y supervisor\nCMD ["supervisord", "-n"]\n'

# files, the finding they give, and what that case needs no more than the list above:
# reading Python (ast) is for Python apps, parsing shell (tree-sitter) for shell code
CASES = {
    "shell-form CMD of a Python app": ({"Dockerfile": SHELL_FORM, "app.py": APP}, "IL102", ()),
    "exec-form npm start": (
        {"Dockerfile": EXEC_FORM, "package.json": PACKAGE_JSON},
        "IL104",
        ("ast", "initlint.evidence.python_app"),
    ),
    "entrypoint script": (
        {"Dockerfile": ENTRYPOINT_SCRIPT, "entrypoint.sh": SCRIPT},
        "IL301",
        (),
    ),
    "exec-form program": (
        {"Dockerfile": SUPERVISORD},
        "IL105",
        ("ast", "initlint.evidence.python_app", "tree_sitter"),
    ),
}


def loaded_modules(folder: Path, *args: str) -> tuple[str, set[str]]:
    """initlint's output and the modules loaded, for ``initlint --no-color [args] Dockerfile``
    run in ``folder`` (in a fresh interpreter, as pre-commit starts it)."""
    code = (
        "import sys\nfrom initlint.cli import main\n"
        f"sys.argv = ['initlint', '--no-color', *{list(args)!r}, 'Dockerfile']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sys.modules), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, timeout=120
    )
    return result.stdout, set(result.stderr.splitlines()[-1].split())


def unneeded(modules: set[str]) -> list[str]:
    return sorted(
        m for m in modules if any(m == n or m.startswith(n + ".") for n in NOT_ON_THE_LINT_PATH)
    )


@pytest.mark.parametrize("case", CASES)
def test_one_dockerfile_loads_only_the_lint_path(tmp_path: Path, case: str) -> None:
    files, finding, also_unneeded = CASES[case]
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    stdout, modules = loaded_modules(tmp_path)
    assert f": {finding} " in stdout, stdout
    assert unneeded(modules) == []
    assert sorted(modules & set(also_unneeded)) == []


def test_what_the_lint_path_leaves_out_is_loaded_when_asked_for(tmp_path: Path) -> None:
    """The check above can fail: JSON output and a configuration file load their modules."""
    (tmp_path / "Dockerfile").write_text(SHELL_FORM, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.initlint]\nignore = []\n", encoding="utf-8")
    stdout, modules = loaded_modules(tmp_path, "-f", "json")
    assert '"IL102"' in stdout, stdout
    assert "initlint.report.json_report" in modules
    assert modules & {"tomllib", "tomli"}


def test_a_pyproject_without_initlint_is_not_parsed(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(SHELL_FORM, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "web"\n', encoding="utf-8")
    stdout, modules = loaded_modules(tmp_path)
    assert ": IL102 " in stdout, stdout
    assert "tomllib" not in modules

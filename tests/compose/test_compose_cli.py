"""initlint on compose files as a user runs it: findings at the key, inline ignores,
discovery, stdin, bad input (one line, exit 2, never a traceback)."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from tests.compose.helpers import FIXTURES, REPO_ROOT, run_initlint

COMPOSE = FIXTURES / "compose"


def locations(stdout: str) -> list[str]:
    """``path:line:col: ID`` of each finding line."""
    return [" ".join(line.split()[:2]) for line in stdout.splitlines() if ": IL" in line]


def test_web_app_with_a_worker() -> None:
    result = run_initlint("compose.yaml", cwd=COMPOSE / "webapp_worker")
    assert result.returncode == 1, result.stderr
    assert locations(result.stdout) == [
        "compose.yaml:15:14: IL103",  # the sh -c script of web's command
        "compose.yaml:23:5: IL201",  # the command key of the worker
        "compose.yaml:23:5: IL202",
    ]
    assert "worker.py:16 starts subprocesses with subprocess.Popen" in result.stdout
    assert "gunicorn" in result.stdout and result.stderr == ""


def test_findings_about_a_dockerfile_command_point_at_the_service(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(
        'FROM python:3.12-slim\nCOPY app.py /\nCMD ["python", "/app.py"]\n'
    )
    (tmp_path / "app.py").write_text("import os, time\nos.system('date &')\ntime.sleep(600)\n")
    (tmp_path / "compose.yaml").write_text("services:\n  app:\n    build: .\n")
    result = run_initlint("compose.yaml", cwd=tmp_path)
    assert locations(result.stdout) == ["compose.yaml:2:3: IL201", "compose.yaml:2:3: IL202"]
    assert "(the command is set in Dockerfile:3)" in result.stdout


def test_inline_ignores_before_a_service_and_global(tmp_path: Path) -> None:
    shutil.copytree(COMPOSE / "webapp_worker", tmp_path / "shop")
    path = tmp_path / "shop" / "compose.yaml"
    text = path.read_text()
    text = text.replace(
        "  worker:\n", "  # initlint: ignore=IL201 -- reaped by the job runner\n  worker:\n"
    )
    path.write_text(text)
    result = run_initlint("compose.yaml", cwd=path.parent)
    assert [loc.split()[1] for loc in locations(result.stdout)] == ["IL103", "IL202"]
    path.write_text("# initlint: global ignore=IL2,IL103\n" + text)
    assert run_initlint("compose.yaml", cwd=path.parent).returncode == 0


def test_inline_ignore_as_a_comment_on_the_service_line(tmp_path: Path) -> None:
    text = "services:\n  web:  # initlint: ignore=IL103\n    image: python:3.12\n"
    text += '    command: ["sh", "-c", "cd /srv && python app.py"]\n'
    (tmp_path / "compose.yaml").write_text(text)
    assert run_initlint("compose.yaml", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("invalid.yaml", 4, "invalid YAML: did not find expected ',' or ']'"),
        ("tabs.yaml", 3, "tab character in indentation: YAML allows only spaces"),
        ("duplicate-key.yaml", 4, "duplicate key 'image' (first on line 3)"),
        ("alias-bomb.yaml", 1, "expands to more than 200000 nodes through aliases"),
        ("python-tag.yaml", 3, "YAML tag tag:yaml.org,2002:python/object/apply:os.system is "),
        ("required-variable.yaml", 4, "required variable MESSAGE is missing a value"),
        ("unterminated-quote.yaml", 3, "command: unterminated double quote"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(name: str, line: int, message: str) -> None:
    started = time.monotonic()
    result = run_initlint(f"bad/{name}", cwd=COMPOSE)
    assert time.monotonic() - started < 20
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"bad/{name}:{line}: error: ")
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_an_unsafe_tag_is_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"services:\n  a:\n    image: !!python/object/apply:os.system ['touch {marker}']\n"
    (tmp_path / "compose.yaml").write_text(text)
    assert run_initlint("compose.yaml", cwd=tmp_path).returncode == 2
    assert not marker.exists()


def test_folder_discovery_skips_what_is_not_compose_or_kubernetes(tmp_path: Path) -> None:
    shutil.copytree(COMPOSE / "webapp_worker", tmp_path / "shop")
    shutil.copytree(FIXTURES / "kubernetes" / "chart", tmp_path / "deploy" / "chart")
    shutil.copy(FIXTURES / "kubernetes" / "cronjob-report.yaml", tmp_path / "deploy")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text("on: push\njobs: {}\n")
    (tmp_path / "values.yaml").write_text("image:\n  tag: 1.0\n")
    result = run_initlint(".", cwd=tmp_path)
    assert result.returncode == 1
    files = sorted({loc.split(":")[0] for loc in locations(result.stdout)})
    assert files == ["deploy/cronjob-report.yaml", "shop/compose.yaml", "shop/worker/Dockerfile"]
    assert result.stderr.splitlines() == [
        "deploy/chart/templates/deployment.yaml: note: skipped: line 4: unrendered Helm "
        "template ({{ ... }}): lint the output of `helm template` (helm template . | initlint -)"
    ]


def test_named_yaml_that_is_neither_is_skipped_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "values.yaml").write_text("replicaCount: 2\n")
    result = run_initlint("values.yaml", cwd=tmp_path)
    assert result.returncode == 0
    assert "values.yaml: note: skipped: line 1: not a compose file" in result.stderr


def test_compose_from_stdin() -> None:
    text = (COMPOSE / "extends_include" / "db" / "compose.yaml").read_text()
    text = text.replace("gzip > /backup/shop.sql.gz; sleep 86400", "gzip > /backup/shop.sql.gz")
    result = run_initlint("-", stdin=text)
    assert locations(result.stdout) == ["<stdin>:4:32: IL103"]


def test_sarif_carries_the_yaml_fix_edits() -> None:
    result = run_initlint("--format", "sarif", "compose.yaml", cwd=COMPOSE / "webapp_worker")
    sarif = json.loads(result.stdout)
    results = sarif["runs"][0]["results"]
    fixes = [r for r in results if r.get("fixes")]
    inserted = [
        change["replacements"][0]["insertedContent"]["text"]
        for r in fixes
        for change in r["fixes"][0]["artifactChanges"]
    ]
    assert "exec " in inserted and "\n    init: true" in inserted


def test_override_files_are_discovered_and_linted_on_their_base() -> None:
    result = run_initlint(".", cwd=COMPOSE / "override")
    assert locations(result.stdout) == [
        "compose.prod.yaml:3:18: IL104",  # its own entrypoint
        "compose.prod.yaml:9:3: IL201",  # the base's chromium, fixable here with init: true
        "compose.yaml:11:27: IL103",  # the base alone (the override's init: true fixes it)
        "compose.yaml:15:5: IL201",
    ]
    assert "(the command is set in compose.yaml:15)" in result.stdout


def test_fixing_an_override_edits_only_the_override(tmp_path: Path) -> None:
    shutil.copytree(COMPOSE / "override", tmp_path / "o")
    base = (tmp_path / "o" / "compose.yaml").read_text()
    result = run_initlint("--fix", "compose.prod.yaml", cwd=tmp_path / "o")
    assert result.returncode == 1  # IL104 has no automatic fix
    assert (tmp_path / "o" / "compose.yaml").read_text() == base
    override = (tmp_path / "o" / "compose.prod.yaml").read_text()
    assert override.endswith("  renderer:\n    restart: always\n    init: true\n")


def test_precommit_hook_for_compose_and_kubernetes() -> None:
    import re

    from ruamel.yaml import YAML

    hooks = YAML(typ="safe", pure=True).load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "initlint-compose-k8s")
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
    for name in ("compose.yaml", "deploy/web.yml", "docker-compose.prod.yml"):
        assert files.search(name) and not exclude.search(name)
    assert exclude.search("charts/shop/templates/deployment.yaml")
    assert not files.search("Dockerfile")


def test_fixing_a_folder_fixes_dockerfiles_first_so_inits_are_not_stacked(tmp_path: Path) -> None:
    shutil.copytree(COMPOSE / "webapp_worker", tmp_path / "shop")
    result = run_initlint("--fix", ".", cwd=tmp_path / "shop")
    assert result.returncode == 0, result.stdout + result.stderr
    dockerfile = (tmp_path / "shop" / "worker" / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["python3", "-I", "-S", "/usr/local/bin/initlint-init", "--"]' in dockerfile
    compose = (tmp_path / "shop" / "compose.yaml").read_text()
    assert "init: true" not in compose  # the worker's image has its init now
    assert "&& exec gunicorn" in compose
    again = run_initlint(".", cwd=tmp_path / "shop")
    assert again.returncode == 0, again.stdout


def test_an_included_file_found_in_the_folder_too_is_reported_once(tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "compose.yaml").write_text(
        "services:\n  backup:\n    image: python:3.12\n"
        '    command: ["sh", "-c", "cd /backup && python backup.py"]\n'
    )
    (tmp_path / "compose.yaml").write_text(
        "include:\n  - db/compose.yaml\nservices:\n  web:\n    image: nginx:1.27\n"
    )
    both = run_initlint(".", cwd=tmp_path)
    assert locations(both.stdout) == ["db/compose.yaml:4:27: IL103"]
    alone = run_initlint("compose.yaml", cwd=tmp_path)
    assert locations(alone.stdout) == ["db/compose.yaml:4:27: IL103"]


def test_init_strategy_none_adds_no_init(tmp_path: Path) -> None:
    shutil.copytree(COMPOSE / "webapp_worker", tmp_path / "shop")
    result = run_initlint("--fix", "--init-strategy", "none", "compose.yaml", cwd=tmp_path / "shop")
    assert result.returncode == 1
    assert "init: true" not in (tmp_path / "shop" / "compose.yaml").read_text()
    assert "not fixed: IL201 at line 23: --init-strategy none: no init is added" in result.stderr

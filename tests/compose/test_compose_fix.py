"""Compose fixes are a few characters at exact offsets: comments, quoting, key order and
indentation stay byte for byte, the result is a valid compose file, and --fix is idempotent."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from initlint.pipeline import LintOptions, run
from tests.compose.helpers import FIXTURES, assert_valid_compose

APP = "import subprocess\nsubprocess.Popen(['sleep', '1'])\n"  # spawns, no SIGTERM handler


def fix(path: Path, unsafe: bool = False) -> str:
    report = run([str(path)], LintOptions(fix_mode="fix", unsafe_fixes=unsafe))
    assert not report.errors, [str(e) for e in report.errors]
    return path.read_bytes().decode("utf-8")


def changed_lines(before: str, after: str) -> list[str]:
    """Lines that differ (``-``/``+``), everything else being equal byte for byte."""
    diff = difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True))
    return [line for line in diff if line.startswith(("-", "+"))]


@pytest.fixture
def python_project(tmp_path: Path) -> Path:
    (tmp_path / "Dockerfile").write_text(
        'FROM python:3.12-slim\nCOPY app.py /srv/app.py\nWORKDIR /srv\nCMD ["python", "app.py"]\n'
    )
    (tmp_path / "app.py").write_text(APP)
    return tmp_path


@pytest.mark.parametrize("indent", [2, 4])
def test_init_true_with_the_indentation_of_sibling_keys(python_project: Path, indent: int) -> None:
    pad = " " * indent
    text = (
        "# the app\nservices:\n"
        f"{pad}app:\n{pad * 2}build: .   # local image\n"
        f"{pad * 2}ports:\n{pad * 2}{pad}- '8000:8000'\n"
        "\n"
        f"{pad}# cache\n{pad}redis:\n{pad * 2}image: redis:7\n"
    )
    path = python_project / "compose.yaml"
    path.write_text(text)
    fixed = fix(path)
    assert changed_lines(text, fixed) == [f"+ {pad * 2}init: true\n"]
    assert fixed.index("init: true") < fixed.index("# cache")  # inside the app service
    assert_valid_compose(fixed)
    assert fix(path) == fixed  # idempotent


def test_init_false_becomes_true(python_project: Path) -> None:
    text = "services:\n  app:\n    build: .\n    init: false  # why not\n"
    path = python_project / "compose.yaml"
    path.write_text(text)
    assert fix(path) == "services:\n  app:\n    build: .\n    init: true  # why not\n"


def test_crlf_and_no_final_newline_are_kept(python_project: Path) -> None:
    text = "services:\r\n  app:\r\n    build: .\r\n    restart: always"
    path = python_project / "compose.yaml"
    path.write_bytes(text.encode())
    fixed = fix(path)
    assert fixed == "services:\r\n  app:\r\n    build: .\r\n    restart: always\r\n    init: true"


SLIM = "services:\n  app:\n    image: python:3.12-slim\n"


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        pytest.param(
            '    command: sh -c "cd /srv && python app.py"\n',
            '    command: sh -c "cd /srv && exec python app.py"\n',
            id="plain-scalar",
        ),
        pytest.param(
            "    command: 'sh -c \"cd /srv && python app.py\"'\n",
            "    command: 'sh -c \"cd /srv && exec python app.py\"'\n",
            id="single-quoted",
        ),
        pytest.param(
            "    command: \"sh -c 'cd /srv && python app.py'\"\n",
            "    command: \"sh -c 'cd /srv && exec python app.py'\"\n",
            id="double-quoted",
        ),
        pytest.param(
            '    command: "sh -c \\"cd /srv && python app.py\\""\n',
            '    command: "sh -c \\"cd /srv && exec python app.py\\""\n',
            id="double-quoted-escapes",
        ),
        pytest.param(
            '    command: ["sh", "-c", "cd /srv && python app.py"]\n',
            '    command: ["sh", "-c", "cd /srv && exec python app.py"]\n',
            id="flow-list",
        ),
        pytest.param(
            "    command:\n      - sh\n      - -c\n      - |\n        cd /srv\n"
            "        python app.py\n",
            "    command:\n      - sh\n      - -c\n      - |\n        cd /srv\n"
            "        exec python app.py\n",
            id="literal-block",
        ),
        pytest.param(
            "    command:\n      - sh\n      - -c\n      - >  # folded\n        cd /srv &&\n"
            "        python app.py\n",
            "    command:\n      - sh\n      - -c\n      - >  # folded\n        cd /srv &&\n"
            "        exec python app.py\n",
            id="folded-block",
        ),
        pytest.param(
            "    entrypoint: ['sh', '-c', 'cd /srv && python app.py']\n",
            "    entrypoint: ['sh', '-c', 'cd /srv && exec python app.py']\n",
            id="single-quoted-items",
        ),
    ],
)
def test_exec_is_inserted_in_sh_c_scripts(tmp_path: Path, command: str, expected: str) -> None:
    path = tmp_path / "compose.yaml"
    path.write_text(SLIM + command)
    fixed = fix(path)
    assert fixed == SLIM + expected
    assert_valid_compose(fixed)


@pytest.mark.parametrize(
    ("command", "rest"),
    [
        ('    command: sh -c "python app.py --port 8000"  # web\n', "  # web\n"),
        ("    command: 'sh -c \"python app.py --port 8000\"'\n", "\n"),
        ('    command: >-\n      sh -c "python app.py --port 8000"\n', "\n"),
        (
            '    command: |\n      sh -c "python app.py --port 8000"\n\n    restart: always\n',
            "\n\n    restart: always\n",
        ),
    ],
    ids=["plain", "single-quoted", "folded-block", "literal-block"],
)
def test_a_command_string_that_needs_no_shell_becomes_a_list(
    tmp_path: Path, command: str, rest: str
) -> None:
    path = tmp_path / "compose.yaml"
    path.write_text(SLIM + command)
    fixed = fix(path)
    assert fixed == SLIM + '    command: ["python", "app.py", "--port", "8000"]' + rest
    assert_valid_compose(fixed)


def test_exec_goes_into_the_script_as_written_with_variables(tmp_path: Path) -> None:
    path = tmp_path / "compose.yaml"
    text = SLIM + '    command: sh -c "echo $$HOSTNAME && python app.py --port ${PORT:-80}"\n'
    path.write_text(text)
    assert fix(path) == text.replace("&& python", "&& exec python")


def test_stop_signal_is_added_for_nginx(tmp_path: Path) -> None:
    path = tmp_path / "compose.yaml"
    text = "services:\n  proxy:\n    image: nginx:1.27\n    stop_signal: SIGTERM\n"
    text += "    entrypoint: [nginx, -g, 'daemon off;']\n"
    path.write_text(text)
    fixed = fix(path)
    assert changed_lines(text, fixed) == [
        "-     stop_signal: SIGTERM\n",
        "+     stop_signal: SIGQUIT\n",
    ]


def test_compose_init_on_an_image_init_is_removed(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(
        "FROM debian:12\nRUN apt-get update && apt-get install -y tini\n"
        'ENTRYPOINT ["tini", "--"]\nCMD ["sleep", "infinity"]\n'
    )
    path = tmp_path / "compose.yaml"
    text = "services:\n  app:\n    build: .\n    init: true\n    restart: always\n"
    path.write_text(text)
    assert fix(path) == "services:\n  app:\n    build: .\n    restart: always\n"


def test_fixture_project_fixes_and_stays_a_valid_compose_file(tmp_path: Path) -> None:
    import shutil

    project = tmp_path / "shop"
    shutil.copytree(FIXTURES / "compose" / "webapp_worker", project)
    before = (project / "compose.yaml").read_text()
    fixed = fix(project / "compose.yaml")
    assert changed_lines(before, fixed) == [
        '-     command: sh -c "python manage.py migrate --noinput && gunicorn '
        'shop.wsgi:application --bind 0.0.0.0:${WEB_PORT:-8000}"\n',
        '+     command: sh -c "python manage.py migrate --noinput && exec gunicorn '
        'shop.wsgi:application --bind 0.0.0.0:${WEB_PORT:-8000}"\n',
        "+     init: true\n",
    ]
    assert_valid_compose(fixed)
    after = run([str(project / "compose.yaml")])
    assert [f.rule_id for f in after.findings] == []
    assert fix(project / "compose.yaml") == fixed


@pytest.mark.parametrize(
    "path",
    sorted(p for p in (FIXTURES / "compose").rglob("*.yaml") if "bad" not in p.parts),
    ids=lambda p: p.relative_to(FIXTURES).as_posix(),
)
def test_compose_fixtures_are_valid_compose_files(path: Path) -> None:
    assert_valid_compose(path.read_text(encoding="utf-8"))

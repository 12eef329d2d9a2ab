"""The compose loader: compose's own semantics, read into RuntimeSpecs with exact positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from initlint.errors import InputError
from initlint.model import CommandForm, SourceKind
from initlint.sources.compose import load_compose, parse_duration
from tests.compose.helpers import specs

DOCKERFILE = """FROM python:3.12-slim AS base
WORKDIR /srv
COPY . .
ENTRYPOINT ["python"]
CMD ["app.py"]

FROM base AS debug
CMD ["-m", "pdb", "app.py"]

FROM base AS runtime
USER nobody
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "Dockerfile").write_text(DOCKERFILE, encoding="utf-8")
    (tmp_path / "app.py").write_text("print('hello')\n", encoding="utf-8")
    return tmp_path


def test_build_links_the_dockerfile_runtime_spec(project: Path) -> None:
    found = specs("services:\n  web:\n    build: .\n", project / "compose.yaml")
    web = found["web"]
    assert web.source_kind is SourceKind.COMPOSE
    assert web.argv == ("python", "app.py")
    assert web.base_image == "python:3.12-slim"
    assert web.entrypoint is not None and web.entrypoint.span.path.endswith("Dockerfile")


def test_build_target_picks_the_stage(project: Path) -> None:
    text = "services:\n  web:\n    build:\n      context: .\n      target: debug\n"
    assert specs(text, project / "compose.yaml")["web"].argv == ("python", "-m", "pdb", "app.py")


def test_command_string_is_split_but_not_run_in_a_shell(project: Path) -> None:
    text = "services:\n  web:\n    build: .\n    command: 'worker.py --name \"a b\" && x'\n"
    web = specs(text, project / "compose.yaml")["web"]
    assert web.argv == ("python", "worker.py", "--name", "a b", "&&", "x")
    assert web.cmd is not None and web.cmd.form is CommandForm.EXEC


def test_entrypoint_discards_the_image_cmd(project: Path) -> None:
    web = specs("services:\n  web:\n    build: .\n    entrypoint: [gunicorn, app:app]\n",
                project / "compose.yaml")["web"]  # fmt: skip
    assert web.argv == ("gunicorn", "app:app")
    assert web.reset_cmd is not None and web.reset_cmd.argv == ("app.py",)


def test_entrypoint_and_command_together(project: Path) -> None:
    text = "services:\n  web:\n    build: .\n    entrypoint: python3 -u\n    command: [serve.py]\n"
    assert specs(text, project / "compose.yaml")["web"].argv == ("python3", "-u", "serve.py")


@pytest.mark.parametrize(
    ("setting", "argv"),
    [
        ("entrypoint: null", ("python", "app.py")),  # null: the image's ENTRYPOINT and CMD
        ("command: null", ("python", "app.py")),
        ("command: ~", ("python", "app.py")),
        ("command: []", ("python",)),  # empty: the image CMD is cleared
        ("command: ''", ("python",)),
        ("entrypoint: []", ("app.py",)),  # no ENTRYPOINT: the engine runs the image CMD
        ("entrypoint: ''", ("app.py",)),
    ],
)
def test_null_and_empty_overrides(project: Path, setting: str, argv: tuple[str, ...]) -> None:
    text = f"services:\n  web:\n    build: .\n    {setting}\n"
    assert specs(text, project / "compose.yaml")["web"].argv == argv


def test_image_alone_has_no_known_argv(tmp_path: Path) -> None:
    found = specs("services:\n  cache:\n    image: registry.example.com/cache:2\n",
                  tmp_path / "compose.yaml")  # fmt: skip
    assert found["cache"].argv == ()


def test_image_with_a_known_entrypoint_and_a_command(tmp_path: Path) -> None:
    text = "services:\n  app:\n    image: python:3.12\n    command: python app.py\n"
    assert specs(text, tmp_path / "compose.yaml")["app"].argv == ("python", "app.py")
    unknown = "services:\n  app:\n    image: example/app:1\n    command: python app.py\n"
    assert specs(unknown, tmp_path / "compose.yaml")["app"].argv == ()


def test_init_stop_signal_and_grace_period(tmp_path: Path) -> None:
    text = (
        "services:\n  app:\n    image: python:3.12\n    command: [python, app.py]\n"
        "    init: true\n    stop_signal: SIGINT\n    stop_grace_period: 1m30s\n"
    )
    app = specs(text, tmp_path / "compose.yaml")["app"]
    assert app.init is not None and (app.init.name, app.init.how) == ("docker-init", "compose-init")
    assert app.init.span is not None and (app.init.span.line, app.init.span.column) == (5, 5)
    assert app.stop_signal is not None and app.stop_signal.value == "SIGINT"
    assert app.stop_grace_seconds == 90.0


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("10s", 10.0), ("1m30s", 90.0), ("1.5s", 1.5), ("500ms", 0.5), ("2h", 7200.0), ("3", 3.0)],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


def test_interpolation_from_environment_and_dotenv(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("MODULE=shop.worker\n# comment\nQUEUE='high'\n")
    text = (
        "services:\n  app:\n    image: python:3.12\n"
        "    command: python -m ${MODULE} --queue $QUEUE --level ${LEVEL:-info} --cost $$5\n"
    )
    (tmp_path / "compose.yaml").write_text(text)
    project = load_compose(text, str(tmp_path / "compose.yaml"), env=None)
    assert project.specs[0].argv[2:] == (
        "shop.worker", "--queue", "high", "--level", "info", "--cost", "$5",
    )  # fmt: skip


def test_required_variable_is_an_error_with_its_line(tmp_path: Path) -> None:
    text = "services:\n  app:\n    image: python:3.12\n    command: python ${APP:?set APP}\n"
    with pytest.raises(InputError) as raised:
        load_compose(text, str(tmp_path / "compose.yaml"), env={})
    assert raised.value.line == 4
    assert "required variable APP is missing a value: set APP" in raised.value.message


def test_extends_in_the_same_and_another_file(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(
        "services:\n  py:\n    image: python:3.12\n    init: true\n    command: [python, base.py]\n"
    )
    text = (
        "services:\n"
        "  one:\n    extends: {file: base.yaml, service: py}\n"
        "  two:\n    extends: one\n    command: [python, two.py]\n"
    )
    found = specs(text, tmp_path / "compose.yaml")
    assert found["one"].argv == ("python", "base.py")
    assert found["one"].init is not None
    assert found["two"].argv == ("python", "two.py")
    assert found["two"].cmd is not None and found["two"].cmd.span.line == 6


def test_include_lints_the_included_services_at_their_own_path(tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "compose.yaml").write_text(
        "services:\n  backup:\n    image: python:3.12\n    command: [python, backup.py]\n"
    )
    text = "include:\n  - db/compose.yaml\nservices:\n  web:\n    image: nginx:1.27\n"
    found = specs(text, tmp_path / "compose.yaml")
    assert found["backup"].path.endswith("db/compose.yaml")


def test_profiles_do_not_hide_services(tmp_path: Path) -> None:
    text = "services:\n  debug:\n    image: python:3.12\n    profiles: [debug]\n"
    text += "    command: [python]\n"
    assert "debug" in specs(text, tmp_path / "compose.yaml")


def test_merge_keys_and_anchors(tmp_path: Path) -> None:
    text = (
        "x-py: &py\n  image: python:3.12\n  command: [python, shared.py]\n"
        "services:\n  a:\n    <<: *py\n  b:\n    <<: *py\n    command: [python, b.py]\n"
    )
    found = specs(text, tmp_path / "compose.yaml")
    assert found["a"].argv == ("python", "shared.py")
    assert found["a"].cmd is not None and found["a"].cmd.span.line == 3  # where it is written
    assert found["b"].argv == ("python", "b.py")


def test_positions_are_the_keys_and_words_as_written(tmp_path: Path) -> None:
    text = "services:\n  web:\n    image: python:3.12\n"
    text += '    command: ["sh", "-c", "python app.py"]\n'
    web = specs(text, tmp_path / "compose.yaml")["web"]
    assert web.span.line == 2 and web.span.column == 3
    assert web.cmd is not None and web.cmd.keyword_span is not None
    assert (web.cmd.keyword_span.line, web.cmd.keyword_span.column) == (4, 5)
    script = web.cmd.words[2]
    assert (script.span.line, script.span.column, script.span.end_column) == (4, 27, 42)


def test_an_override_file_is_read_on_its_base(tmp_path: Path) -> None:
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n  app:\n    image: python:3.12\n    command: [python, app.py]\n"
        "    stop_signal: SIGINT\n"
    )
    text = "services:\n  app:\n    init: true\n    stop_signal: !reset null\n"
    app = specs(text, tmp_path / "docker-compose.prod.yml")["app"]
    assert app.argv == ("python", "app.py")
    assert app.cmd is not None and app.cmd.span.path.endswith("docker-compose.yml")
    assert app.init is not None and app.init.span is not None
    assert app.init.span.path.endswith("docker-compose.prod.yml")
    assert app.stop_signal is None


def test_an_empty_entrypoint_with_a_command_on_an_unknown_image(tmp_path: Path) -> None:
    text = "services:\n  app:\n    image: example/app:1\n    entrypoint: []\n"
    text += "    command: [python, app.py]\n"
    assert specs(text, tmp_path / "compose.yaml")["app"].argv == ("python", "app.py")


@pytest.mark.parametrize(
    ("written", "column"),
    [
        ('sh -c "cd /srv && python app.py"', 20),  # plain: the quoted word itself
        ("'sh -c \"cd /srv && python app.py\"'", 21),  # single-quoted YAML, nothing escaped
        ('"sh -c \\"cd /srv && python app.py\\""', 14),  # escapes: the whole string
    ],
)
def test_words_of_a_command_string_point_into_it(tmp_path: Path, written: str, column: int) -> None:
    text = f"services:\n  web:\n    image: python:3.12\n    command: {written}\n"
    web = specs(text, tmp_path / "compose.yaml")["web"]
    assert web.cmd is not None
    assert web.cmd.words[2].value == "cd /srv && python app.py"
    assert (web.cmd.words[2].span.line, web.cmd.words[2].span.column) == (4, column)


@pytest.mark.parametrize(
    "volumes",
    [
        "    volumes:\n      - ./src:/srv:ro\n",
        "    volumes:\n      - type: bind\n        source: ./src\n        target: /srv\n",
    ],
)
def test_bind_mounted_code_is_read_as_the_app(tmp_path: Path, volumes: str) -> None:
    from initlint.checks.registry import rule_by_id

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.py").write_text(
        "import subprocess, time\nsubprocess.Popen(['convert'])\ntime.sleep(600)\n"
    )
    text = "services:\n  app:\n    image: python:3.12-slim\n    working_dir: /srv\n"
    text += volumes + '    command: ["python", "main.py"]\n'
    app = specs(text, tmp_path / "compose.yaml")["app"]
    assert app.evidence is not None and app.evidence.pid1_kind == "python"
    assert [f.rule_id for f in rule_by_id("IL201").check(app)] == ["IL201"]
    assert [f.rule_id for f in rule_by_id("IL202").check(app)] == ["IL202"]
    named = text.replace("./src:/srv:ro", "data:/srv").replace("source: ./src", "source: data")
    assert specs(named, tmp_path / "compose.yaml")["app"].evidence is None

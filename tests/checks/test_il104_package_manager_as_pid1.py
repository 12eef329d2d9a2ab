from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from initlint.checks.il102_shell_form_cmd import shell_form_cmd
from initlint.checks.il104_package_manager_as_pid1 import package_manager_as_pid1
from initlint.evidence import collect_evidence
from initlint.fixes.dockerfile import fix_dockerfile_text
from initlint.model import Applicability, Finding, ReplaceArgv, Severity
from initlint.pipeline import lint_text
from initlint.sources.dockerfile import build_model, runtime_spec
from initlint.sources.dockerfile_syntax import parse_dockerfile
from tests.checks.lint_helpers import none, one


def test_npm_start_exec_form() -> None:
    finding = one("IL104", 'FROM node:20\nWORKDIR /app\nCMD ["npm", "start"]\n')
    assert finding.severity is Severity.WARNING
    assert (finding.span.line, finding.span.column) == (3, 6)
    assert finding.message == (
        "npm start runs the app as its child process: npm will be PID 1 and npm does not "
        "reliably pass docker stop's SIGTERM on to the script it runs, so docker stop may wait "
        "the whole grace period, then SIGKILL"
    )
    assert finding.fix is None


@pytest.mark.parametrize(
    ("argv", "label"),
    [
        ('["npm", "run", "serve"]', "npm run"),
        ('["yarn", "start"]', "yarn start"),
        ('["yarn", "dev"]', "yarn dev"),
        ('["pnpm", "start"]', "pnpm start"),
        ('["poetry", "run", "python", "app.py"]', "poetry run"),
        ('["pipenv", "run", "gunicorn", "app:app"]', "pipenv run"),
        ('["uv", "run", "app.py"]', "uv run"),
        ('["/usr/local/bin/npm", "--prefix", "/app", "start"]', "npm start"),
        ('["npm", "--silent", "start"]', "npm start"),
    ],
)
def test_package_runners(argv: str, label: str) -> None:
    finding = one("IL104", f"FROM node:20\nCMD {argv}\n")
    assert finding.message.startswith(f"{label} runs the app as its child process")


@pytest.mark.parametrize(
    "argv",
    [
        '["node", "server.js"]',
        '["npm", "install"]',
        '["yarn"]',
        '["yarn", "install"]',
        '["poetry", "install"]',
        '["uv", "pip", "install", "x"]',
        '["python3", "-m", "uv"]',
    ],
)
def test_not_running_a_script(argv: str) -> None:
    none("IL104", f"FROM node:20\nCMD {argv}\n")


def test_shell_form_npm_under_dash() -> None:
    finding = one("IL104", "FROM node:20\nCMD npm run serve\n")
    assert (finding.span.line, finding.span.column) == (2, 1)
    assert '/bin/sh (dash) will be PID 1 running "npm run serve"' in finding.message


def test_npm_at_the_end_of_a_sh_c_wrapper_on_alpine() -> None:
    finding = one("IL104", 'FROM node:20-alpine\nCMD ["sh", "-c", "npm ci && npm start"]\n')
    assert "npm will be PID 1 (sh (busybox ash) execs it)" in finding.message


def test_behind_an_init() -> None:
    finding = one("IL104", 'FROM node:20\nENTRYPOINT ["dumb-init", "--"]\nCMD ["npm", "start"]\n')
    assert finding.span.line == 3
    assert "dumb-init will be PID 1 running npm" in finding.message


def test_inherited_cmd() -> None:
    finding = one(
        "IL104",
        """
        FROM node:20 AS base
        CMD ["yarn", "start"]
        FROM base
        COPY . /app
        """,
    )
    assert finding.span.line == 2


# --- the unsafe fix: the script's own command, read from the build context ----------------

PACKAGE_JSON = (
    '{"name": "web", "scripts": {"start": "node server.js", "worker": "node worker.js"}}\n'
)
NODE_APP = "FROM node:20\nWORKDIR /app\nCOPY . .\n{command}\n"


def write_context(folder: Path, dockerfile_text: str, files: dict[str, str]) -> Path:
    """A build context holding ``files`` and the Dockerfile; returns the Dockerfile."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    dockerfile = folder / "Dockerfile"
    dockerfile.write_text(dockerfile_text)
    return dockerfile


def lint_dockerfile(dockerfile: Path, text: str | None = None) -> list[Finding]:
    source = dockerfile.read_text() if text is None else text
    found, _, failures = lint_text(source, str(dockerfile), (package_manager_as_pid1,))
    assert not failures, failures
    return found


def il104(tmp_path: Path, dockerfile_text: str, files: dict[str, str]) -> Finding:
    found = lint_dockerfile(write_context(tmp_path, dockerfile_text, files))
    assert len(found) == 1, [f.message for f in found]
    return found[0]


def fixed(tmp_path: Path, dockerfile_text: str, files: dict[str, str]) -> str:
    """The Dockerfile after `initlint --fix --unsafe-fixes --select IL104`."""
    dockerfile = write_context(tmp_path, dockerfile_text, files)
    outcome = fix_dockerfile_text(
        dockerfile.read_text(),
        str(dockerfile),
        lambda text, overrides={}, /: lint_dockerfile(dockerfile, text),
        unsafe=True,
    )
    assert not outcome.rolled_back, outcome.rolled_back
    return outcome.fixed


def new_argv(finding: Finding) -> tuple[str, ...] | None:
    if finding.fix is None:
        return None
    assert finding.fix.applicability is Applicability.UNSAFE
    assert isinstance(finding.fix.intent, ReplaceArgv)
    return finding.fix.intent.words


def test_npm_start_becomes_the_start_script(tmp_path: Path) -> None:
    files = {"package.json": '{"name": "web",\n "scripts": {\n  "start": "node server.js"\n}}\n'}
    finding = il104(tmp_path, NODE_APP.format(command='CMD ["npm", "start"]'), files)
    assert finding.message == (
        'npm start runs "node server.js" from package.json as its child process: npm will be '
        "PID 1 and npm does not reliably pass docker stop's SIGTERM on to the script it runs, "
        "so docker stop may wait the whole grace period, then SIGKILL"
    )
    assert new_argv(finding) == ("node", "server.js")
    assert finding.fix is not None
    assert finding.fix.description == (
        'run what the script runs as PID 1 itself: CMD ["node", "server.js"] (the \'start\' '
        "script, package.json line 3); unlike npm, it does not put node_modules/.bin on PATH "
        "or set the npm_* environment variables"
    )
    assert fixed(tmp_path, NODE_APP.format(command='CMD ["npm", "start"]'), files) == (
        'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n'
    )


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        ('["npm", "run", "worker"]', ("node", "worker.js")),
        ('["npm", "run-script", "worker"]', ("node", "worker.js")),
        (
            '["npm", "run", "worker", "--", "--queue", "mail"]',
            ("node", "worker.js", "--queue", "mail"),
        ),
        ('["npm", "start", "--", "--port=80"]', ("node", "server.js", "--port=80")),
        ('["yarn", "start"]', ("node", "server.js")),
        ('["yarn", "worker"]', ("node", "worker.js")),
        ('["yarn", "run", "worker"]', ("node", "worker.js")),
        ('["pnpm", "start"]', ("node", "server.js")),
        ('["pnpm", "run", "worker"]', ("node", "worker.js")),
        ('["/usr/local/bin/npm", "start"]', ("node", "server.js")),
    ],
)
def test_node_runners_and_script_names(tmp_path: Path, argv: str, words: tuple[str, ...]) -> None:
    finding = il104(
        tmp_path, NODE_APP.format(command=f"CMD {argv}"), {"package.json": PACKAGE_JSON}
    )
    assert new_argv(finding) == words


@pytest.mark.parametrize(
    "script",
    [
        "./bin/www",
        "bin/www --port 80",
        "python3 app.py",
        "exec node server.js",
        "node --max-old-space-size=512 'dist/my server.js'",
    ],
)
def test_scripts_that_run_a_program_found_without_the_runner(tmp_path: Path, script: str) -> None:
    manifest = json.dumps({"scripts": {"start": script}})
    finding = il104(
        tmp_path, NODE_APP.format(command='CMD ["npm", "start"]'), {"package.json": manifest}
    )
    words = new_argv(finding)
    assert words is not None and words[0] in ("./bin/www", "bin/www", "python3", "node")


@pytest.mark.parametrize(
    "script",
    [
        "NODE_ENV=production node server.js",
        "npm run build && node server.js",
        "node server.js; echo done",
        "node server.js | tee /var/log/app.log",
        "node server.js > /var/log/app.log",
        "node $ENTRY",
        "node dist/*.js",
        "next start",  # a node_modules/.bin tool: only the runner's PATH finds it
        "ts-node src/index.ts",
        "yarn serve",
        "",
    ],
)
def test_no_fix_for_a_script_that_needs_the_shell_or_the_runner(
    tmp_path: Path, script: str
) -> None:
    manifest = json.dumps({"scripts": {"start": script}})
    finding = il104(
        tmp_path, NODE_APP.format(command='CMD ["npm", "start"]'), {"package.json": manifest}
    )
    assert finding.fix is None


@pytest.mark.parametrize("hook", ["prestart", "poststart"])
def test_no_fix_when_lifecycle_scripts_would_be_lost(tmp_path: Path, hook: str) -> None:
    manifest = json.dumps({"scripts": {hook: "node migrate.js", "start": "node server.js"}})
    finding = il104(
        tmp_path, NODE_APP.format(command='CMD ["npm", "start"]'), {"package.json": manifest}
    )
    assert finding.fix is None
    worker = json.dumps({"scripts": {"preworker": "node x.js", "worker": "node worker.js"}})
    finding = il104(
        tmp_path, NODE_APP.format(command='CMD ["npm", "run", "worker"]'), {"package.json": worker}
    )
    assert finding.fix is None


def test_npm_start_without_a_start_script_runs_server_js(tmp_path: Path) -> None:
    files = {"package.json": '{"name": "web"}\n', "server.js": "require('http')\n"}
    finding = il104(tmp_path, NODE_APP.format(command='CMD ["npm", "start"]'), files)
    assert new_argv(finding) == ("node", "server.js")
    assert finding.fix is not None and "npm's default" in finding.fix.description


def test_no_start_script_and_no_server_js_means_no_fix(tmp_path: Path) -> None:
    files = {"package.json": '{"name": "web", "scripts": {"build": "tsc"}}\n'}
    assert il104(tmp_path, NODE_APP.format(command='CMD ["npm", "start"]'), files).fix is None
    assert il104(tmp_path, NODE_APP.format(command='CMD ["yarn", "worker"]'), files).fix is None


@pytest.mark.parametrize(
    ("dockerfile_text", "files"),
    [
        # no package.json in the build context at all
        (NODE_APP.format(command='CMD ["npm", "start"]'), {"server.js": "x\n"}),
        # package.json is there but the Dockerfile never copies it into the image
        (
            'FROM node:20\nWORKDIR /app\nCOPY server.js .\nCMD ["npm", "start"]\n',
            {"package.json": PACKAGE_JSON, "server.js": "x\n"},
        ),
        # copied, but not to the WORKDIR where npm looks
        (
            'FROM node:20\nCOPY package.json /srv/\nWORKDIR /app\nCMD ["npm", "start"]\n',
            {"package.json": PACKAGE_JSON},
        ),
        # from another stage: initlint cannot see what that stage wrote
        (
            "FROM node:20 AS build\nFROM node:20\nWORKDIR /app\n"
            'COPY --from=build /app /app\nCMD ["npm", "start"]\n',
            {"package.json": PACKAGE_JSON},
        ),
        # not JSON
        (NODE_APP.format(command='CMD ["npm", "start"]'), {"package.json": "{scripts: }\n"}),
    ],
    ids=["absent", "not-copied", "other-folder", "other-stage", "invalid"],
)
def test_no_fix_without_a_readable_package_json_in_the_workdir(
    tmp_path: Path, dockerfile_text: str, files: dict[str, str]
) -> None:
    finding = il104(tmp_path, dockerfile_text, files)
    assert finding.fix is None
    assert finding.message.startswith(
        "npm start runs the app as its child process: npm will be PID 1"
    )


@pytest.mark.parametrize(
    "command",
    [
        'CMD ["npm", "--silent", "start"]',  # npm options
        'CMD ["npm", "start", "--port", "80"]',  # npm reads these as its own config
        'CMD ["yarn", "start", "--port", "80"]',
        'CMD ["sh", "-c", "npm ci && npm start"]',  # inside a shell script
        'ENTRYPOINT ["npm"]\nCMD ["start"]',  # split between ENTRYPOINT and CMD
        'ENTRYPOINT ["npm", "start"]\nCMD ["--verbose"]',  # CMD words go to npm
        'CMD ["npx", "node", "server.js"]',
    ],
)
def test_no_fix_when_the_runner_words_are_not_followed(tmp_path: Path, command: str) -> None:
    finding = il104(tmp_path, NODE_APP.format(command=command), {"package.json": PACKAGE_JSON})
    assert finding.fix is None


def test_no_fix_for_an_inherited_cmd(tmp_path: Path) -> None:
    text = (
        'FROM node:20 AS base\nWORKDIR /app\nCOPY . .\nCMD ["npm", "start"]\n'
        "FROM base\nENV PORT=80\n"
    )
    assert il104(tmp_path, text, {"package.json": PACKAGE_JSON}).fix is None


@pytest.mark.parametrize(
    ("command", "after"),
    [
        ('ENTRYPOINT ["npm", "start"]', 'ENTRYPOINT ["node", "server.js"]'),
        ('ENTRYPOINT ["npm", "start"]\nCMD []', 'ENTRYPOINT ["node", "server.js"]\nCMD []'),
        (
            'ENTRYPOINT ["tini", "--", "npm", "start"]',
            'ENTRYPOINT ["tini", "--", "node", "server.js"]',
        ),
        (
            'ENTRYPOINT ["dumb-init", "--"]\nCMD ["npm", "start"]',
            'ENTRYPOINT ["dumb-init", "--"]\nCMD ["node", "server.js"]',
        ),
        ("ENTRYPOINT npm start", 'ENTRYPOINT ["node", "server.js"]'),
        ("CMD npm start", 'CMD ["node", "server.js"]'),
        ("CMD exec npm run worker", 'CMD ["node", "worker.js"]'),
        ('CMD [ "npm", \\\n     "start" ]', 'CMD ["node", "server.js"]'),
    ],
)
def test_fix_rewrites_the_whole_command_in_exec_form(
    tmp_path: Path, command: str, after: str
) -> None:
    result = fixed(tmp_path, NODE_APP.format(command=command), {"package.json": PACKAGE_JSON})
    assert result == f"FROM node:20\nWORKDIR /app\nCOPY . .\n{after}\n"


def test_shell_form_composes_with_il102(tmp_path: Path) -> None:
    """IL102's safe fix and IL104's unsafe fix edit the same text: the engine applies one,
    re-lints, and applies the other to the new text."""
    dockerfile = write_context(
        tmp_path, NODE_APP.format(command="CMD npm run worker"), {"package.json": PACKAGE_JSON}
    )
    rules = (shell_form_cmd, package_manager_as_pid1)

    def lint(text: str, overrides: Mapping[str, str] = {}, /) -> list[Finding]:
        return lint_text(text, str(dockerfile), rules)[0]

    safe = fix_dockerfile_text(dockerfile.read_text(), str(dockerfile), lint)
    assert safe.fixed.endswith('CMD ["npm", "run", "worker"]\n')
    both = fix_dockerfile_text(dockerfile.read_text(), str(dockerfile), lint, unsafe=True)
    assert both.fixed.endswith('CMD ["node", "worker.js"]\n')
    assert [a[:5] for a in both.applied] == ["IL102", "IL104"]
    assert lint(both.fixed) == []


# --- poetry run, uv run, pipenv run ---------------------------------------------------------

PYPROJECT = """\
[project]
name = "api"
version = "1.0.0"

[project.scripts]
serve = "api.main:run"

[tool.poetry.scripts]
worker = "api.worker:main"
"""
PYTHON_APP = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD {argv}\n"


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        ('["uv", "run", "python", "app.py"]', ("python", "app.py")),
        ('["poetry", "run", "python", "-m", "api"]', ("python", "-m", "api")),
        (
            '["pipenv", "run", "python3", "app.py", "--port", "80"]',
            ("python3", "app.py", "--port", "80"),
        ),
        ('["uv", "run", "./bin/server"]', ("./bin/server",)),
        (
            '["uv", "run", "/app/.venv/bin/gunicorn", "app:app"]',
            ("/app/.venv/bin/gunicorn", "app:app"),
        ),
    ],
)
def test_python_runner_starting_a_program_directly(
    tmp_path: Path, argv: str, words: tuple[str, ...]
) -> None:
    finding = il104(tmp_path, PYTHON_APP.format(argv=argv), {"pyproject.toml": PYPROJECT})
    assert new_argv(finding) == words
    assert finding.fix is not None
    assert "outside rather than inside the project's virtual environment" in (
        finding.fix.description
    )


def test_uv_run_python_fix_and_its_description(tmp_path: Path) -> None:
    text = PYTHON_APP.format(argv='["uv", "run", "python", "app.py"]')
    finding = il104(tmp_path, text, {})  # no pyproject: the program is still started by name
    assert finding.fix is not None
    assert finding.fix.description == (
        'run python as PID 1 itself: CMD ["python", "app.py"]; unlike uv run, it uses the '
        "python found on PATH and runs outside rather than inside the project's virtual "
        "environment, and nothing is synced when the container starts"
    )
    assert "uv will be PID 1" in finding.message and "docker stop" in finding.message
    assert fixed(tmp_path, text, {}).endswith('CMD ["python", "app.py"]\n')


@pytest.mark.parametrize(
    ("argv", "files"),
    [
        # console scripts: an entry point exists only in the virtual environment's bin
        ('["uv", "run", "serve"]', {"pyproject.toml": PYPROJECT}),
        ('["poetry", "run", "serve"]', {"pyproject.toml": PYPROJECT}),
        ('["poetry", "run", "worker"]', {"pyproject.toml": PYPROJECT}),
        # a bare program name: the venv's bin may be the only place it is
        ('["poetry", "run", "gunicorn", "app:app"]', {"pyproject.toml": PYPROJECT}),
        # uv runs a .py file with the project's Python, not as a program
        ('["uv", "run", "app.py"]', {"pyproject.toml": PYPROJECT}),
        # runner options
        ('["uv", "run", "--frozen", "python", "app.py"]', {"pyproject.toml": PYPROJECT}),
        # pipenv run loads .env; a Pipfile script is pipenv's own
        ('["pipenv", "run", "python", "app.py"]', {"Pipfile": "[packages]\n", ".env": "A=1\n"}),
        ('["pipenv", "run", "serve"]', {"Pipfile": '[scripts]\nserve = "./bin/serve"\n'}),
        # unreadable pyproject: cannot rule out a console script of that name
        ('["uv", "run", "python", "app.py"]', {"pyproject.toml": "[project\n"}),
    ],
)
def test_no_fix_for_python_runners(tmp_path: Path, argv: str, files: dict[str, str]) -> None:
    assert il104(tmp_path, PYTHON_APP.format(argv=argv), files).fix is None


def test_pipenv_without_dotenv_gets_the_fix(tmp_path: Path) -> None:
    text = PYTHON_APP.format(argv='["pipenv", "run", "python", "app.py"]')
    finding = il104(tmp_path, text, {"Pipfile": "[packages]\nflask = '*'\n"})
    assert new_argv(finding) == ("python", "app.py")


def test_the_evidence_says_where_the_script_came_from(tmp_path: Path) -> None:
    dockerfile = write_context(
        tmp_path,
        NODE_APP.format(command='CMD ["npm", "run", "worker"]'),
        {
            "package.json": '{\n  "scripts": {\n    "start": "node server.js",\n'
            '    "worker": "node worker.js"\n  }\n}\n'
        },
    )
    model = build_model(parse_dockerfile(dockerfile.read_text(), str(dockerfile)))
    evidence = collect_evidence(runtime_spec(model), model, tmp_path)
    assert evidence is not None
    script = evidence.package_script
    assert script is not None
    assert (script.runner, script.name, script.kind, script.text) == (
        "npm",
        "worker",
        "script",
        "node worker.js",
    )
    assert (script.manifest, script.line) == ("package.json", 4)
    assert script.manifest_path == str(tmp_path / "package.json")


def test_the_evidence_says_why_a_script_is_unknown(tmp_path: Path) -> None:
    dockerfile = write_context(
        tmp_path,
        'FROM node:20\nWORKDIR /app\nCMD ["npm", "start"]\n',
        {"package.json": PACKAGE_JSON},
    )
    model = build_model(parse_dockerfile(dockerfile.read_text(), str(dockerfile)))
    evidence = collect_evidence(runtime_spec(model), model, tmp_path)
    assert evidence is not None and evidence.package_script is not None
    assert evidence.package_script.kind == "unknown"
    assert (
        evidence.package_script.unknown == "no /app/package.json is copied from the build context"
    )


# --- the command line ---------------------------------------------------------------------


def run_initlint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "initlint", "--no-color", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_fix_unsafe_fixes_rewrites_npm_start(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text(PACKAGE_JSON)
    original = "FROM node:20\r\nWORKDIR /app\r\nCOPY . .\r\n# the web server\r\nCMD npm start\r\n"
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_bytes(original.encode())

    safe = run_initlint("--fix", "--select", "IL102,IL104", "Dockerfile", cwd=tmp_path)
    assert safe.returncode == 1  # IL104 remains: its fix is unsafe
    assert dockerfile.read_bytes().endswith(b'CMD ["npm", "start"]\r\n')
    assert "IL104" in safe.stdout

    unsafe = run_initlint(
        "--fix", "--unsafe-fixes", "--select", "IL102,IL104", "Dockerfile", cwd=tmp_path
    )
    assert unsafe.returncode == 0, unsafe.stdout + unsafe.stderr
    assert (
        dockerfile.read_bytes()
        == original.replace("CMD npm start", 'CMD ["node", "server.js"]').encode()
    )
    assert "Fixed 1 finding in 1 file." in unsafe.stdout

    again = run_initlint(
        "--fix", "--unsafe-fixes", "--select", "IL102,IL104", "Dockerfile", cwd=tmp_path
    )
    assert again.returncode == 0 and "Fixed" not in again.stdout
    assert (tmp_path / "package.json").read_text() == PACKAGE_JSON


@pytest.mark.parametrize(
    ("argv", "kind", "text", "line"),
    [
        ('["uv", "run", "serve"]', "entry-point", "api.main:run", 6),
        ('["poetry", "run", "worker"]', "entry-point", "api.worker:main", 9),
        ('["uv", "run", "worker"]', "program", None, None),  # uv ignores [tool.poetry.scripts]
    ],
)
def test_the_evidence_reads_console_scripts_from_pyproject(
    tmp_path: Path, argv: str, kind: str, text: str | None, line: int | None
) -> None:
    dockerfile = write_context(
        tmp_path, PYTHON_APP.format(argv=argv), {"pyproject.toml": PYPROJECT}
    )
    model = build_model(parse_dockerfile(dockerfile.read_text(), str(dockerfile)))
    evidence = collect_evidence(runtime_spec(model), model, tmp_path)
    assert evidence is not None and evidence.package_script is not None
    script = evidence.package_script
    assert (script.kind, script.text, script.line) == (kind, text, line)
    assert script.manifest == "pyproject.toml"


def test_descriptions_of_a_path_program_and_an_empty_script(tmp_path: Path) -> None:
    text = PYTHON_APP.format(argv='["poetry", "run", "./bin/server"]')
    finding = il104(tmp_path, text, {"pyproject.toml": PYPROJECT})
    assert finding.fix is not None
    assert finding.fix.description == (
        'run ./bin/server as PID 1 itself: CMD ["./bin/server"]; unlike poetry run, it runs '
        "outside rather than inside the project's virtual environment"
    )
    empty = il104(
        tmp_path / "empty",
        NODE_APP.format(command='CMD ["npm", "start"]'),
        {"package.json": '{"scripts": {"start": " "}}'},
    )
    assert empty.message.startswith("npm start runs the app as its child process: npm will")

from __future__ import annotations

import pytest

from initlint.model import Severity
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

"""Properties of --fix on generated Dockerfiles (format-preserving, idempotent).

For every generated file: the fixed file still parses with BuildKit's own parser, only the
lines of instructions that had a fixable finding change (new lines may be inserted), fixing
twice equals fixing once, and no finding that a fix claimed to remove is still there.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import dockerfile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from initlint.errors import InputError
from initlint.fixes.dockerfile import fix_dockerfile_text
from initlint.fixes.engine import allowed
from initlint.model import Finding, InsertExec, RemoveCommands, SetStopSignal, ToExecForm
from initlint.pipeline import default_rules, lint_text
from initlint.sources.dockerfile_syntax import parse_dockerfile
from tests.sources.dockerfile_strategies import dockerfiles

RULES = default_rules()
PATH = str(Path(__file__).parent / "generated" / "Dockerfile")  # no build context files

BASES = st.sampled_from(
    ["python:3.12-slim", "debian:12", "alpine:3.20", "nginx:1.27", "node:20", "scratch",
     "example.com/team/base:1"]
)  # fmt: skip
COMMANDS = st.sampled_from(
    [
        "python3 /app.py", "python3 -m app --port 80", "nginx -g 'daemon off;'", "npm start",
        "gunicorn app:app", "./run.sh $PORT", "cd /srv && ./serve", "a; b", "x | y",
        "supervisord -n", "/usr/sbin/httpd -DFOREGROUND", "exec python3 app.py",
        "echo \"hi there\"", "node server.js > /log 2>&1",
    ]
)  # fmt: skip
EXEC_COMMANDS = st.sampled_from(
    [
        '["python3", "/app.py"]', '["sh", "-c", "cd /srv && ./serve --x"]',
        '["bash", "-c", "migrate; serve"]', '["tini", "--", "python3", "app.py"]',
        '["/bin/sh", "-c", "exec nginx"]', '["php-fpm", "-F"]', '["sh", "-c", "a | b"]',
        '["python3", "-c", "print(1)",]',
    ]
)  # fmt: skip
FILLERS = st.sampled_from(
    ["RUN apt-get update", "# a comment", "", "ENV PORT=8080", "WORKDIR /srv", "USER app",
     "COPY . /srv", "EXPOSE 80", "STOPSIGNAL SIGTERM", "STOPSIGNAL SIGKILLL"]
)  # fmt: skip


@st.composite
def pid1_dockerfiles(draw: st.DrawFn) -> str:
    """Dockerfiles full of PID 1 problems: shell forms, wrappers, repeats, stop signals."""
    lines: list[str] = []
    stages = draw(st.integers(1, 2))
    for stage in range(stages):
        base = draw(BASES) if stage == 0 else "build"
        lines.append(f"FROM {base}" + (" AS build" if stage == 0 and stages == 2 else ""))
        for _ in range(draw(st.integers(0, 4))):
            kind = draw(st.sampled_from(["filler", "entrypoint", "cmd", "cmd"]))
            if kind == "filler":
                lines.append(draw(FILLERS))
                continue
            keyword = "ENTRYPOINT" if kind == "entrypoint" else "CMD"
            if draw(st.booleans()):
                command = draw(COMMANDS)
                if draw(st.integers(0, 4)) == 0 and " " in command:
                    head, tail = command.split(" ", 1)
                    command = f"{head} \\\n    # wrapped\n    {tail}"
                lines.append(f"{keyword} {command}")
            else:
                lines.append(f"{keyword} {draw(EXEC_COMMANDS)}")
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines) + draw(st.sampled_from([newline, ""]))


def lint(text: str, overrides: Mapping[str, str] = {}, /) -> list[Finding]:
    return lint_text(text, PATH, RULES, overrides=overrides)[0]


def unflagged_lines_kept_in_order(before: str, after: str, flagged: set[int]) -> bool:
    """Every original line outside ``flagged`` is still there, byte for byte, in order.

    Line endings are compared apart from the lines: a line inserted after a last line that
    had no line ending gives that line one (in the file's own style).
    """
    remaining = iter(line.rstrip("\r") for line in after.split("\n"))
    return all(
        any(candidate == line.rstrip("\r") for candidate in remaining)
        for number, line in enumerate(before.split("\n"), start=1)
        if number not in flagged
    )


def finding_lines(finding: Finding) -> list[int]:
    """The lines a finding is about: where it points and the instructions its fix names."""
    lines = [finding.span.line]
    intent = finding.fix.intent if finding.fix else None
    if isinstance(intent, (ToExecForm, InsertExec)):
        lines.append(intent.command.span.line)
    elif isinstance(intent, RemoveCommands):
        lines.extend(command.span.line for command in intent.commands)
    elif isinstance(intent, SetStopSignal) and intent.existing and intent.existing.span:
        lines.append(intent.existing.span.line)
    return lines


def flagged_lines(text: str, findings: list[Finding], unsafe: bool) -> set[int]:
    syntax = parse_dockerfile(text, PATH)
    flagged: set[int] = set()
    for finding in findings:
        if not allowed(finding, unsafe):
            continue
        for line in finding_lines(finding):
            for instruction in syntax.instructions:
                span = instruction.span
                if span.line <= line <= span.end_line:
                    flagged.update(range(span.line, span.end_line + 1))
    return flagged


def check_fix_properties(text: str, unsafe: bool) -> None:
    try:
        lint(text)
    except InputError:
        return  # not a Dockerfile initlint lints; the bad-input tests cover these
    outcome = fix_dockerfile_text(text, PATH, lint, unsafe=unsafe, strategy="python")
    fixed = outcome.fixed

    dockerfile.parse_string(fixed)  # BuildKit accepts the fixed file
    parse_dockerfile(fixed, PATH)

    # one fix at a time: each changes only the lines of the instructions its finding is about
    current = text
    while True:
        step = fix_dockerfile_text(
            current, PATH, lint, unsafe=unsafe, strategy="python", max_rounds=1
        )
        if step.fixed == current:
            break
        flagged = flagged_lines(current, lint(current), unsafe)
        assert unflagged_lines_kept_in_order(current, step.fixed, flagged), step.applied
        current = step.fixed
    assert current == fixed

    again = fix_dockerfile_text(fixed, PATH, lint, unsafe=unsafe, strategy="python")
    assert again.fixed == fixed, "fixing twice differs from fixing once"

    # what is still fixable after --fix is only what the engine said it could not fix
    not_fixed = {note.split()[0] for note in outcome.skipped + outcome.rolled_back}
    for finding in lint(fixed):
        if allowed(finding, unsafe):
            assert finding.rule_id in not_fixed, finding


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(pid1_dockerfiles(), st.booleans())
def test_fix_properties_on_pid1_problem_files(text: str, unsafe: bool) -> None:
    check_fix_properties(text, unsafe)


@SETTINGS
@given(dockerfiles(), st.booleans())
def test_fix_properties_on_parser_stress_files(text: str, unsafe: bool) -> None:
    check_fix_properties(text, unsafe)

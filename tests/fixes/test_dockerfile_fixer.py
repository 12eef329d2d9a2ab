"""The Dockerfile fixer turns each fix intent into exact edits; other bytes stay as they were."""

from __future__ import annotations

from pathlib import Path

import pytest

from initlint.fixes.dockerfile import DockerfileFixer, dockerfile_fixer
from initlint.fixes.init_injection import PYTHON_INIT_SETUP, dockerignore_excludes
from initlint.fixes.plan import FixPlan, NoFix
from initlint.fixes.text import SourceText
from initlint.fixes.vendoring import vendored_init, vendored_version
from initlint.model import (
    Applicability,
    Finding,
    Fix,
    FixIntent,
    InjectInit,
    InsertExec,
    RemoveCommands,
    SetStopSignal,
    Severity,
    ToExecForm,
)

SETUP = "".join(f"{line}\n" for line in PYTHON_INIT_SETUP)  # COPY the source, compile it


def finding(fixer: DockerfileFixer, intent: FixIntent) -> Finding:
    span = fixer.stage.from_instruction.span
    return Finding("IL000", Severity.ERROR, "test", span, Fix(Applicability.SAFE, "t", intent))


def apply(fixer: DockerfileFixer, intent: FixIntent) -> str:
    plan = fixer.plan(finding(fixer, intent))
    assert isinstance(plan, FixPlan), plan
    return fixer.source.apply(plan.edits)


def test_shell_form_cmd_becomes_exec_form_and_nothing_else_changes() -> None:
    text = "FROM python:3.12\n# run it\nCMD python3 /app.py --port 80\nEXPOSE 80\n"
    fixer = dockerfile_fixer(text, "Dockerfile")
    assert fixer.stage.cmd is not None
    fixed = apply(fixer, ToExecForm(fixer.stage.cmd, ("python3", "/app.py", "--port", "80")))
    assert fixed == (
        'FROM python:3.12\n# run it\nCMD ["python3", "/app.py", "--port", "80"]\nEXPOSE 80\n'
    )


def test_crlf_bom_and_missing_final_newline_are_kept() -> None:
    text = "\ufeffFROM debian:12\r\nCMD sleep 1\r\nUSER nobody"
    fixer = dockerfile_fixer(text, "Dockerfile")
    assert fixer.stage.cmd is not None
    fixed = apply(fixer, ToExecForm(fixer.stage.cmd, ("sleep", "1")))
    assert fixed == '\ufeffFROM debian:12\r\nCMD ["sleep", "1"]\r\nUSER nobody'


def test_bom_on_the_edited_first_line() -> None:
    text = "\ufeffFROM debian:12\nCMD sleep 1\n"
    fixer = dockerfile_fixer(text, "Dockerfile")
    fixed = apply(fixer, SetStopSignal("SIGINT", None))
    assert fixed == "\ufeffFROM debian:12\nSTOPSIGNAL SIGINT\nCMD sleep 1\n"


def test_continuation_with_comment_keeps_the_comment_line() -> None:
    text = "FROM debian:12\nCMD python3 \\\n  # the app\n  /app.py\nUSER app\n"
    fixer = dockerfile_fixer(text, "Dockerfile")
    assert fixer.stage.cmd is not None
    fixed = apply(fixer, ToExecForm(fixer.stage.cmd, ("python3", "/app.py")))
    assert fixed == 'FROM debian:12\nCMD ["python3", "/app.py"]\n  # the app\nUSER app\n'


def test_json_escaping_of_quotes_backslashes_and_unicode() -> None:
    text = "FROM debian:12\nCMD echo\n"
    fixer = dockerfile_fixer(text, "Dockerfile")
    assert fixer.stage.cmd is not None
    fixed = apply(fixer, ToExecForm(fixer.stage.cmd, ("echo", 'say "hi"', "a\\b", "café")))
    assert fixed == 'FROM debian:12\nCMD ["echo", "say \\"hi\\"", "a\\\\b", "café"]\n'


def test_insert_exec_in_a_json_sh_c_string() -> None:
    text = 'FROM debian:12\nCMD ["sh", "-c", "cd /srv && ./run --x \\"y\\""]\n'
    fixer = dockerfile_fixer(text, "Dockerfile")
    cmd = fixer.stage.cmd
    assert cmd is not None
    script = cmd.words[2]
    offset = script.value.index("./run")
    fixed = apply(fixer, InsertExec(cmd, script, offset))
    assert fixed == 'FROM debian:12\nCMD ["sh", "-c", "cd /srv && exec ./run --x \\"y\\""]\n'


def test_remove_overridden_commands_removes_whole_lines() -> None:
    text = 'FROM debian:12\nCMD one\nRUN true\nCMD ["two", \\\n  "x"]\nCMD three\n'
    fixer = dockerfile_fixer(text, "Dockerfile")
    from initlint.sources.dockerfile import runtime_spec

    spec = runtime_spec(fixer.model)
    fixed = apply(fixer, RemoveCommands(spec.overridden))
    assert fixed == "FROM debian:12\nRUN true\nCMD three\n"


def test_stop_signal_replaced_in_place_when_written() -> None:
    text = "FROM debian:12\nSTOPSIGNAL SIGTERM\nCMD nginx\n"
    fixer = dockerfile_fixer(text, "Dockerfile")
    fixed = apply(fixer, SetStopSignal("SIGQUIT", fixer.stage.stop_signal))
    assert fixed == "FROM debian:12\nSTOPSIGNAL SIGQUIT\nCMD nginx\n"


def test_python_init_in_front_of_exec_cmd(tmp_path: Path) -> None:
    text = 'FROM python:3.12-slim\nCOPY app.py /app.py\nCMD ["python3", "/app.py"]\n'
    fixer = dockerfile_fixer(text, str(tmp_path / "Dockerfile"))
    plan = fixer.plan(finding(fixer, InjectInit("spawns children")))
    assert isinstance(plan, FixPlan)
    assert fixer.source.apply(plan.edits) == (
        f"FROM python:3.12-slim\nCOPY app.py /app.py\n{SETUP}"
        'ENTRYPOINT ["python3", "-I", "-S", "/usr/local/bin/initlint-init", "--"]\n'
        'CMD ["python3", "/app.py"]\n'
    )
    (write,) = plan.writes
    assert write.path == str(tmp_path / "initlint-init")
    assert vendored_version(write.content) is not None
    compile(write.content, "initlint-init", "exec")


def test_python_init_keeps_an_exec_entrypoint_after_it(tmp_path: Path) -> None:
    text = 'FROM python:3.12\nENTRYPOINT ["/entry.sh"]\nCMD ["serve"]\n'
    fixer = dockerfile_fixer(text, str(tmp_path / "Dockerfile"))
    fixed = apply(fixer, InjectInit("x"))
    assert fixed == (
        f"FROM python:3.12\n{SETUP}"
        'ENTRYPOINT ["python3", "-I", "-S", "/usr/local/bin/initlint-init", "--", "/entry.sh"]\n'
        'CMD ["serve"]\n'
    )


def test_inherited_cmd_is_repeated_because_a_new_entrypoint_resets_it(tmp_path: Path) -> None:
    text = 'FROM python:3.12 AS base\nCMD ["python3", "/app.py"]\nFROM base\nUSER app\n'
    fixer = dockerfile_fixer(text, str(tmp_path / "Dockerfile"))
    fixed = apply(fixer, InjectInit("x"))
    assert fixed.endswith(
        # the bytecode is written to /usr/local/bin: as root, then back to the stage's USER
        f"USER app\nUSER root\n{SETUP}USER app\n"
        'ENTRYPOINT ["python3", "-I", "-S", "/usr/local/bin/initlint-init", "--"]\n'
        'CMD ["python3", "/app.py"]\n'
    )


@pytest.mark.parametrize(
    ("base", "install"),
    [
        ("debian:12", "RUN apt-get update && apt-get install -y --no-install-recommends tini"
         " && rm -rf /var/lib/apt/lists/*"),
        ("alpine:3.20", "RUN apk add --no-cache tini"),
    ],
)  # fmt: skip
def test_tini_strategy_installs_with_the_package_manager(
    tmp_path: Path, base: str, install: str
) -> None:
    text = f'FROM {base}\nUSER 1000\nCMD ["/usr/local/bin/app"]\n'
    fixer = dockerfile_fixer(text, str(tmp_path / "Dockerfile"))
    fixed = apply(fixer, InjectInit("x"))
    assert fixed == (
        f"FROM {base}\nUSER 1000\nUSER root\n{install}\nUSER 1000\n"
        'ENTRYPOINT ["tini", "--"]\nCMD ["/usr/local/bin/app"]\n'
    )


@pytest.mark.parametrize(
    "text",
    [
        'FROM scratch\nCOPY app /app\nCMD ["/app"]\n',
        'FROM gcr.io/distroless/static\nCMD ["/app"]\n',
        'FROM example.com/mystery:1\nCMD ["/app"]\n',
        'FROM python:3.12\nENTRYPOINT ["tini", "--"]\nCMD ["python3", "/app.py"]\n',
    ],
)
def test_no_init_injected_without_a_safe_strategy_or_when_one_is_there(
    tmp_path: Path, text: str
) -> None:
    fixer = dockerfile_fixer(text, str(tmp_path / "Dockerfile"))
    assert isinstance(fixer.plan(finding(fixer, InjectInit("x"))), NoFix)


def test_dockerignore_gets_an_exception_only_when_it_excludes_the_init(tmp_path: Path) -> None:
    assert dockerignore_excludes("*\n!app.py\n", "initlint-init")
    assert not dockerignore_excludes("*\n!initlint-init\n", "initlint-init")
    assert not dockerignore_excludes("node_modules\n.git\n", "initlint-init")
    (tmp_path / ".dockerignore").write_text("*\n!app.py")
    fixer = dockerfile_fixer('FROM python:3\nCMD ["python3", "app.py"]\n', str(tmp_path / "D"))
    plan = fixer.plan(finding(fixer, InjectInit("x")))
    assert isinstance(plan, FixPlan)
    ignore = next(w for w in plan.writes if w.path.endswith(".dockerignore"))
    assert ignore.content == "*\n!app.py\n!initlint-init\n"


def test_an_up_to_date_vendored_init_is_not_rewritten(tmp_path: Path) -> None:
    (tmp_path / "initlint-init").write_text(vendored_init())
    fixer = dockerfile_fixer('FROM python:3\nCMD ["python3", "app.py"]\n', str(tmp_path / "D"))
    plan = fixer.plan(finding(fixer, InjectInit("x")))
    assert isinstance(plan, FixPlan) and plan.writes == ()


def test_a_foreign_file_named_initlint_init_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "initlint-init").write_text("#!/bin/sh\necho mine\n")
    fixer = dockerfile_fixer('FROM python:3\nCMD ["python3", "app.py"]\n', str(tmp_path / "D"))
    assert isinstance(fixer.plan(finding(fixer, InjectInit("x"))), NoFix)


def test_source_text_offsets_with_crlf() -> None:
    source = SourceText("a\r\nbc\r\n")
    assert source.offset(2, 1) == 3
    assert source.line_text(2) == "bc"
    assert source.newline == "\r\n"


def test_new_lines_go_above_the_comments_of_the_instruction(tmp_path: Path) -> None:
    text = (
        "FROM python:3.12\n\n# start the worker\n# initlint: ignore=IL104\n"
        'CMD ["python3", "/app.py"]\n'
    )
    fixer = dockerfile_fixer(text, str(tmp_path / "Dockerfile"))
    fixed = apply(fixer, InjectInit("x"))
    assert fixed == (
        f"FROM python:3.12\n\n{SETUP}"
        'ENTRYPOINT ["python3", "-I", "-S", "/usr/local/bin/initlint-init", "--"]\n'
        "# start the worker\n# initlint: ignore=IL104\n"
        'CMD ["python3", "/app.py"]\n'
    )

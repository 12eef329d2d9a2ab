"""The RuntimeSpec of a Dockerfile's target stage, following BuildKit's semantics."""

from __future__ import annotations

from pathlib import Path

import pytest

from initlint.errors import InputError
from initlint.model import CommandForm, RuntimeSpec, ShellFamily
from initlint.sources.dockerfile import load_dockerfile_text

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "dockerfiles"


def spec(text: str, target: str | None = None) -> RuntimeSpec:
    return load_dockerfile_text(text, "/project/Dockerfile", target)


def corpus_spec(name: str, target: str | None = None) -> RuntimeSpec:
    path = CORPUS / name
    return load_dockerfile_text(path.read_bytes().decode(), str(path), target)


# --- exec and shell form -------------------------------------------------------------------


def test_exec_form_cmd_is_the_argv() -> None:
    result = spec('FROM python:3.12\nCMD ["python3", "app.py"]\n')
    assert result.cmd is not None and result.cmd.form is CommandForm.EXEC
    assert result.argv == ("python3", "app.py")
    assert result.entrypoint is None
    assert result.base_image == "python:3.12"


def test_shell_form_is_default_shell_plus_the_joined_text() -> None:
    result = spec("FROM python:3.12\nCMD python3 app.py --port $PORT\n")
    assert result.cmd is not None and result.cmd.form is CommandForm.SHELL
    assert result.argv == ("/bin/sh", "-c", "python3 app.py --port $PORT")
    assert result.cmd.shell == ("/bin/sh", "-c")
    assert result.cmd.script is not None and result.cmd.script.value.endswith("$PORT")
    assert result.shell_family is ShellFamily.DASH


def test_shell_form_through_continuations_and_comments() -> None:
    result = spec("FROM alpine\nCMD echo a \\\n# note\n\n    && exec b\n")
    assert result.argv == ("/bin/sh", "-c", "echo a     && exec b")
    assert result.shell_family is ShellFamily.ASH


@pytest.mark.parametrize(
    "args",
    ['["python", "app.py",]', "['python', 'app.py']", "[python, app.py]"],
    ids=["trailing-comma", "single-quotes", "unquoted"],
)
def test_invalid_json_silently_becomes_shell_form(args: str) -> None:
    result = spec(f"FROM python:3.12\nENTRYPOINT {args}\n")
    assert result.entrypoint is not None
    assert result.entrypoint.form is CommandForm.SHELL
    assert result.argv == ("/bin/sh", "-c", args)


def test_text_after_the_json_array_is_dropped() -> None:
    result = spec('FROM alpine\nCMD ["echo", "a"] b c\n')
    assert result.argv == ("echo", "a")


def test_exec_form_is_never_substituted() -> None:
    result = spec('FROM alpine\nENV NAME=world\nCMD ["echo", "$NAME", "${NAME}"]\n')
    assert result.argv == ("echo", "$NAME", "${NAME}")


def test_shell_form_entrypoint_ignores_cmd() -> None:
    result = spec('FROM alpine\nENTRYPOINT exec app\nCMD ["--verbose"]\n')
    assert result.argv == ("/bin/sh", "-c", "exec app")
    assert result.cmd is not None  # still recorded: IL106 reports it


def test_exec_entrypoint_plus_shell_cmd_appends_the_shell() -> None:
    result = spec('FROM alpine\nENTRYPOINT ["/init"]\nCMD run server\n')
    assert result.argv == ("/init", "/bin/sh", "-c", "run server")


def test_empty_entrypoint_leaves_cmd_as_pid1() -> None:
    result = spec('FROM python:3.12\nENTRYPOINT []\nCMD ["python3"]\n')
    assert result.entrypoint is not None and result.entrypoint.argv == ()
    assert result.argv == ("python3",)


def test_heredoc_body_is_not_an_instruction() -> None:
    result = corpus_spec("edge/heredoc-cmd-inside-body.Dockerfile")
    assert result.argv == ("python3", "-m", "http.server")
    assert result.entrypoint is None
    assert result.overridden == ()


# --- SHELL ---------------------------------------------------------------------------------


def test_shell_changes_shell_form_argv_and_family() -> None:
    result = spec('FROM debian\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nCMD run a\n')
    assert result.argv == ("/bin/bash", "-o", "pipefail", "-c", "run a")
    assert result.shell_family is ShellFamily.BASH


def test_shell_after_cmd_does_not_change_that_cmd() -> None:
    result = spec('FROM debian\nCMD run a\nSHELL ["/bin/bash", "-c"]\n')
    assert result.argv == ("/bin/sh", "-c", "run a")
    assert result.shell_family is ShellFamily.DASH


def test_shell_is_inherited_from_the_parent_stage() -> None:
    result = corpus_spec("edge/shell-instruction-changes.Dockerfile")
    assert result.name == "inherited-shell"
    assert result.argv == ("/bin/bash", "-c", "echo still bash")
    assert result.shell_family is ShellFamily.BASH


def test_exec_form_sh_wrapper_gets_the_family_of_bin_sh_not_of_shell() -> None:
    result = spec('FROM debian\nSHELL ["/bin/bash", "-c"]\nCMD ["sh", "-c", "exec app"]\n')
    assert result.shell_family is ShellFamily.DASH


def test_windows_shell_is_unknown_family() -> None:
    result = corpus_spec("realistic/windows-servercore-powershell.Dockerfile")
    assert result.argv[:2] == ("powershell", "-Command")
    assert result.argv[-1] == ".\\App.exe --console"
    assert result.shell_family is ShellFamily.UNKNOWN


# --- stages, inheritance, --target ---------------------------------------------------------


def test_stage_inherits_entrypoint_cmd_signal_user() -> None:
    text = (
        "FROM python:3.12 AS base\n"
        'ENTRYPOINT ["tini", "--"]\n'
        'CMD ["python3", "app.py"]\n'
        "STOPSIGNAL SIGINT\n"
        "USER app\n"
        "FROM base AS final\n"
        "RUN echo child\n"
    )
    result = spec(text)
    assert result.name == "final"
    assert result.argv == ("tini", "--", "python3", "app.py")
    assert result.entrypoint is not None and result.entrypoint.inherited_from == "stage base"
    assert result.cmd is not None and result.cmd.inherited_from == "stage base"
    assert result.stop_signal is not None and result.stop_signal.value == "SIGINT"
    assert result.stop_signal.inherited_from == "stage base"
    assert result.user == "app"
    assert result.base_image == "python:3.12"
    assert result.init is not None and result.init.name == "tini"


def test_entrypoint_resets_inherited_cmd() -> None:
    result = corpus_spec("edge/entrypoint-resets-inherited-cmd.Dockerfile", "with-entrypoint")
    assert result.argv == ("python3",)
    assert result.cmd is None
    assert result.reset_cmd is not None
    assert result.reset_cmd.argv == ("python3", "-m", "http.server")


def test_entrypoint_keeps_cmd_set_in_the_same_stage() -> None:
    result = corpus_spec("edge/entrypoint-resets-inherited-cmd.Dockerfile", "keeps-cmd")
    assert result.argv == ("python3", "app.py")
    assert result.reset_cmd is None


def test_cmd_after_entrypoint_in_the_child_stage_counts() -> None:
    text = 'FROM alpine AS a\nCMD ["x"]\nFROM a\nENTRYPOINT ["e"]\nCMD ["y"]\n'
    result = spec(text)
    assert result.argv == ("e", "y")
    assert result.reset_cmd is None


def test_reset_does_not_reach_into_a_later_stage_chain() -> None:
    text = 'FROM alpine AS a\nCMD ["x"]\nFROM a AS b\nENTRYPOINT ["e"]\nFROM b\n'
    result = spec(text)
    assert result.argv == ("e",)
    assert result.entrypoint is not None and result.entrypoint.inherited_from == "stage b"


def test_last_stage_is_the_default_target() -> None:
    result = corpus_spec("edge/target-stage-names.Dockerfile")
    assert result.argv == ("echo", "last stage")
    assert result.base_image == "alpine"


@pytest.mark.parametrize("target", ["release", "Release", "RELEASE"])
def test_target_picks_a_stage_case_insensitively(target: str) -> None:
    result = corpus_spec("edge/target-stage-names.Dockerfile", target)
    assert result.name == "release"
    assert result.argv == ("/bin/app",)
    assert result.base_image == "golang:1.22"


def test_target_middle_stage_inherits_from_named_parent() -> None:
    result = corpus_spec("edge/target-stage-names.Dockerfile", "test")
    assert result.argv == ("go", "test", "./...")


def test_unnamed_stage_is_labelled_by_its_index() -> None:
    assert spec("FROM alpine AS a\nFROM alpine\n").name == "1"


def test_unknown_target_is_an_input_error() -> None:
    with pytest.raises(InputError) as caught:
        corpus_spec("edge/target-stage-names.Dockerfile", "nope")
    assert "nope" in caught.value.message


def test_external_image_stop_signal_is_known() -> None:
    result = spec("FROM nginx:1.27\n")
    assert result.stop_signal is not None
    assert result.stop_signal.value == "SIGQUIT"
    assert result.stop_signal.inherited_from == "nginx:1.27"


def test_repeated_commands_are_overridden() -> None:
    result = corpus_spec("edge/repeated-entrypoint-and-cmd.Dockerfile")
    assert result.argv == ("/bin/second", "third")
    assert [(c.role, c.span.line) for c in result.overridden] == [
        ("entrypoint", 3),
        ("cmd", 2),
        ("cmd", 4),
    ]


# --- ARG / ENV substitution ----------------------------------------------------------------


def test_global_arg_in_from() -> None:
    result = corpus_spec("edge/arg-before-from.Dockerfile")
    assert result.base_image == "docker.io/library/python:3.12-slim"
    assert result.shell_family is ShellFamily.DASH


def test_global_arg_is_not_visible_in_a_stage_unless_declared_again() -> None:
    unseen = spec("ARG U=app\nFROM alpine\nUSER $U\n")
    assert unseen.user == ""
    seen = spec("ARG U=app\nFROM alpine\nARG U\nUSER $U\n")
    assert seen.user == "app"


def test_stopsignal_and_user_are_substituted() -> None:
    result = corpus_spec("edge/stopsignal-forms.Dockerfile", "from-arg")
    assert result.stop_signal is not None and result.stop_signal.value == "SIGINT"
    last = corpus_spec("edge/stopsignal-forms.Dockerfile").stop_signal
    assert last is not None and last.value == "SIGUSR1"
    assert corpus_spec("edge/user-forms.Dockerfile", "vars").user == "1001:1002"
    assert corpus_spec("edge/user-forms.Dockerfile").user == "1001:1002"  # inherited


def test_stopsignal_span_is_the_written_value() -> None:
    result = spec("FROM alpine\nARG SIG=SIGTERM\nSTOPSIGNAL   $SIG\n")
    assert result.stop_signal is not None
    span = result.stop_signal.span
    assert span is not None
    assert (span.line, span.column, span.end_line, span.end_column) == (3, 14, 3, 18)


def test_env_legacy_and_key_value_forms() -> None:
    text = (
        "FROM alpine\n"
        "ENV LEGACY value with spaces\n"
        'ENV A=1 B="two words" C=${A}x\n'
        "ENV D $A-$B\n"
        "USER $LEGACY/$C/$D\n"
    )
    # one ENV sees only the values set before it: C=${A}x reads the unset A
    assert spec(text).user == "value with spaces/x/1-two words"


def test_quotes_are_removed_from_user() -> None:
    assert spec('FROM alpine\nENV U=app\nUSER "$U"\n').user == "app"


def test_env_default_operators() -> None:
    text = "FROM alpine\nENV A=\nUSER ${A:-fallback}:${B-unset}:${A:+set}\n"
    assert spec(text).user == "fallback:unset:"


# --- ONBUILD, init, special bases ----------------------------------------------------------


def test_onbuild_is_not_applied() -> None:
    result = corpus_spec("edge/onbuild-variants.Dockerfile")
    assert result.argv == ("node", "--version")
    assert result.entrypoint is None


def test_onbuild_heredoc_is_consumed_not_applied() -> None:
    result = corpus_spec("edge/heredoc-onbuild.Dockerfile")
    assert result.argv == ("python3",)


def test_scratch_has_no_shell() -> None:
    result = spec('FROM scratch\nCOPY app /\nCMD ["/app"]\n')
    assert result.base_image == "scratch"
    assert result.shell_family is ShellFamily.NONE


def test_init_in_entrypoint_is_found() -> None:
    result = corpus_spec("realistic/ubuntu-tini-apt.Dockerfile")
    assert result.init is not None and result.init.name == "tini"


def test_spec_locations_point_into_the_file() -> None:
    result = corpus_spec("realistic/node-express-alpine.Dockerfile")
    assert result.cmd is not None
    assert result.cmd.keyword_span is not None
    assert (result.cmd.span.line, result.cmd.keyword_span.column) == (10, 1)
    assert [w.span.column for w in result.cmd.words] == [7, 15]
    assert result.build_context == str(CORPUS / "realistic")
    assert result.span.line == 1  # the FROM of the target stage


def test_escape_directive_backtick() -> None:
    result = corpus_spec("edge/escape-after-syntax.Dockerfile")
    assert result.argv == ("/bin/sh", "-c", "echo C:\\path\\stays")


@pytest.mark.parametrize(
    "name",
    sorted(
        str(p.relative_to(CORPUS))
        for p in CORPUS.rglob("*.Dockerfile")
        if "bad" not in p.relative_to(CORPUS).parts
    ),
)
def test_every_corpus_file_loads(name: str) -> None:
    result = corpus_spec(name)
    assert result.path.endswith(name)


def test_onbuild_triggers_run_in_a_child_stage() -> None:
    text = (
        "FROM alpine AS base\n"
        'CMD ["inherited"]\n'
        'ONBUILD ENTRYPOINT ["/trigger"]\n'
        "ONBUILD USER 7\n"
        "FROM base AS child\n"
        "FROM child\n"
    )
    child = spec(text, "child")
    assert child.argv == ("/trigger",)  # the trigger's ENTRYPOINT reset the inherited CMD
    assert child.entrypoint is not None
    assert child.entrypoint.inherited_from == "an ONBUILD trigger of stage base"
    assert child.entrypoint.span.line == 3
    assert child.user == "7"
    assert child.overridden == ()
    grandchild = spec(text)
    assert grandchild.argv == ("/trigger",)
    assert grandchild.entrypoint is not None
    assert grandchild.entrypoint.inherited_from == "an ONBUILD trigger of stage base"


def test_onbuild_triggers_run_before_the_stage_own_instructions() -> None:
    text = 'FROM alpine AS a\nONBUILD CMD ["trigger"]\nFROM a\nCMD ["own"]\n'
    assert spec(text).argv == ("own",)

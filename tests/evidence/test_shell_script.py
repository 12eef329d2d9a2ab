"""Entrypoint scripts as tree-sitter-bash reads them: the facts IL301/IL302 use, at exact
character offsets, for the shell syntax entrypoint scripts really contain."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from initlint.fixes.dockerfile import dockerfile_fixer
from initlint.fixes.plan import FixPlan
from initlint.model import ScriptFacts
from initlint.pid1.script import ScriptParseError, analyse_script
from tests.evidence.lint import lint

DOCKERFILE = 'FROM debian:12\nCOPY s.sh /s.sh\nCMD ["/s.sh"]\n'


def facts(script: str) -> ScriptFacts:
    return analyse_script(script, "s.sh", "/s.sh", "bash")


def exec_fix(tmp_path: Path, script: str) -> str:
    """The script as the IL301 fix writes it."""
    (tmp_path / "s.sh").write_text(script)
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(DOCKERFILE)
    (finding,) = [f for f in lint(dockerfile) if f.rule_id == "IL301"]
    plan = dockerfile_fixer(DOCKERFILE, str(dockerfile)).plan(finding)
    assert isinstance(plan, FixPlan), plan
    (write,) = plan.writes
    return write.content


def rules(tmp_path: Path, script: str) -> list[str]:
    (tmp_path / "s.sh").write_text(script)
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    return sorted(f.rule_id for f in lint(tmp_path / "Dockerfile"))


def test_case_branches_are_read_not_masked() -> None:
    script = (
        "#!/bin/bash\n"
        'case "$1" in\n'
        "  worker) celery -A proj worker & ;;\n"
        "  debug|dev) trap 'echo bye' EXIT ;;\n"
        "  *) ;;\n"
        "esac\n"
        "gunicorn app:app\n"
    )
    found = facts(script)
    assert [job.value for job in found.background_jobs] == ["celery -A proj worker &"]
    assert found.background_jobs[0].span.line == 3
    assert found.traps_term is False  # a trap on EXIT only: nothing masked made it look like one
    assert found.last_words == ("gunicorn", "app:app")


def test_trap_on_term_inside_a_case_branch_counts() -> None:
    found = facts("case $MODE in\n  sup) trap 'kill $!' TERM INT ;;\nesac\nnginx\n")
    assert found.traps_term is True


def test_last_command_after_double_brackets_and_an_and_list() -> None:
    script = '#!/bin/bash\n[[ -n "$DB" && -f /app/x ]] && echo ready\ncd /app && exec "$@"\n'
    found = facts(script)
    assert found.last_is_exec and found.last_words == ("$@",) and found.passes_args
    assert found.last_offset == script.index('exec "$@"')
    assert found.last_command is not None and found.last_command.value == 'exec "$@"'


def test_ampersand_in_arithmetic_is_not_a_background_job() -> None:
    script = (
        "n=$(( WORKERS & 7 ))\n(( n > 0 )) || n=1\nfor ((i = 0; i < n; i++)); do :; done\nsrv\n"
    )
    found = facts(script)
    assert found.background_jobs == ()
    assert found.last_words == ("srv",) and not found.last_is_builtin


def test_heredoc_body_is_not_code_and_not_part_of_the_quoted_command() -> None:
    script = (
        "#!/bin/sh\nworker &\n"
        "cat > /etc/app.conf <<'EOF'\nwait\ntrap x TERM\nrun & exec me\nEOF\n"
        "gunicorn -c - app:app <<EOF\nworkers = 2\nEOF\n"
    )
    found = facts(script)
    assert not found.waits and not found.traps_term
    assert [job.value for job in found.background_jobs] == ["worker &"]
    assert found.last_command is not None
    assert found.last_command.value == "gunicorn -c - app:app <<EOF"
    assert script[found.end_offset :] == "\n"  # after the terminator: `wait` goes there


def test_il302_wait_goes_after_a_heredoc_terminator(tmp_path: Path) -> None:
    script = "#!/bin/sh\nworker &\ncat <<EOF\nstarted\nEOF\n"
    (tmp_path / "s.sh").write_text(script)
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(DOCKERFILE)
    (finding,) = [f for f in lint(dockerfile) if f.rule_id == "IL302"]
    plan = dockerfile_fixer(DOCKERFILE, str(dockerfile)).plan(finding)
    assert isinstance(plan, FixPlan)
    trap = "trap 'trap \"\" TERM INT; kill -TERM 0; wait; exit 143' TERM INT\n"
    with_trap = script.replace("\n", "\n" + trap, 1).replace("<<EOF", "<<EOF &")
    assert plan.writes[0].content == with_trap + "wait\n"


def test_calling_a_function_of_the_script_is_not_the_program(tmp_path: Path) -> None:
    script = (
        '#!/bin/bash\nmain() {\n  migrate\n  gunicorn app:app "$@"\n}\n'
        'cleanup() { wait; }\nmain "$@"\n'
    )
    found = facts(script)
    assert found.last_words == ("main", "$@") and found.last_is_builtin
    assert found.waits  # `wait` in a function body counts, as anywhere in the script
    assert rules(tmp_path, script) == []  # `exec main` would not find the function


def test_subshell_last_is_unknown_but_its_jobs_count() -> None:
    found = facts("#!/bin/sh\n( cd /srv && php-fpm -F & )\n(cd /app && gunicorn app)\n")
    assert found.last_command is None and found.last_is_builtin
    assert [job.value for job in found.background_jobs] == ["cd /srv && php-fpm -F &"]


@pytest.mark.parametrize(
    ("line", "last", "is_exec"),
    [
        ("cd /app && gunicorn app", "gunicorn app", False),
        ("cd /app && exec gunicorn app", "exec gunicorn app", True),
        ("a && b && c", "c", False),
        ("sleep 1; gunicorn app;", "gunicorn app", False),
        ("migrate || exit 1", None, False),
        ("a && b || c", None, False),
        ("a || b && c", None, False),
        ("server | tee /log", None, False),
        ("! server", None, False),
        ("server &", None, False),
        ("time server", None, False),  # `exec time` would run /usr/bin/time
    ],
)
def test_and_or_chains(line: str, last: str | None, is_exec: bool) -> None:
    script = f"#!/bin/sh\n{line}\n"
    found = facts(script)
    assert (found.last_command.value if found.last_command else None) == last
    assert found.last_is_exec is is_exec
    if last is not None:
        assert found.last_offset == script.index(last)  # where an `exec` goes (or is)


def test_a_script_whose_last_line_is_inside_if_is_unknown(tmp_path: Path) -> None:
    script = (
        '#!/bin/sh\nif [ "$1" = web ]; then\n  gunicorn app:app\nelse\n  celery -A app worker\nfi\n'
    )
    found = facts(script)
    assert found.last_command is None and found.last_offset is None
    assert rules(tmp_path, script) == []


def test_words_lose_their_quotes_and_keep_expansions() -> None:
    script = (
        'nginx -g \'daemon off;\' --opt="a b" x"y"z \\$HOME "${ARGS:-}" $\'a\\tb\' '
        '$(echo "x y") >/var/log/n.log extra 2>&1\n'
    )
    found = facts(script)
    assert found.last_words == (
        "nginx", "-g", "daemon off;", "--opt=a b", "xyz", "$HOME", "${ARGS:-}", "a\tb",
        '$(echo "x y")', "extra",
    )  # fmt: skip
    assert found.last_command is not None and found.last_command.value == script[:-1]


def test_redirections_and_assignments_before_the_name(tmp_path: Path) -> None:
    found = facts('#!/bin/sh\nexec 2>&1\nPORT=8000 >/dev/null gunicorn app "$@"\n')
    assert found.last_words == ("gunicorn", "app", "$@")
    script = "#!/bin/sh\nexec 2>&1\nPORT=8000 gunicorn app\n"
    assert exec_fix(tmp_path, script) == script.replace("PORT=8000 ", "PORT=8000 exec ")


def test_exec_goes_at_a_character_offset_after_non_ascii_text(tmp_path: Path) -> None:
    script = '#!/bin/sh\necho "démarrage… ✓ 🚀"  # ünïcode\ngunicorn app:app\n'
    found = facts(script)
    assert found.last_offset == script.index("gunicorn")
    assert found.last_command is not None and found.last_command.span.line == 3
    assert exec_fix(tmp_path, script) == script.replace("\ngunicorn", "\nexec gunicorn")


def test_a_background_and_list_is_one_job() -> None:
    found = facts("#!/bin/sh\nsleep 2 && warm-cache &\nserver\n")
    (job,) = found.background_jobs
    assert job.value == "sleep 2 && warm-cache &"
    assert (job.span.line, job.span.column, job.span.end_column) == (2, 1, 24)


def test_end_offset_includes_the_terminator() -> None:
    script = "#!/bin/sh\nworker &\ntail -f /dev/null;  # keep alive\n"
    found = facts(script)
    assert script[found.last_offset or 0 : found.end_offset] == "tail -f /dev/null;"


@pytest.mark.parametrize(
    ("script", "where"),
    [
        ("#!/bin/sh\nif true; then\n  server\n", "s.sh:4:1: missing `fi`"),
        ('#!/bin/sh\necho "unterminated\nserver\n', "s.sh:2:6: syntax error"),
        ("#!/bin/sh\nif then fi (((\nworker &\nserver\n", "s.sh:2:1: syntax error"),
    ],
)
def test_what_the_grammar_cannot_read_makes_the_script_unknown(script: str, where: str) -> None:
    with pytest.raises(ScriptParseError) as raised:
        facts(script)
    assert str(raised.value).startswith(where)


def test_empty_and_comment_only_scripts_have_no_last_command() -> None:
    for script in ("", "#!/bin/sh\n# nothing yet\n"):
        found = facts(script)
        assert found.last_command is None and found.background_jobs == ()


def test_tree_sitter_is_imported_only_when_a_script_is_analysed() -> None:
    probe = (
        "import json, sys\n"
        "from initlint.evidence import resolve\n"
        "from initlint.pid1 import script as shell_script\n"
        "before = sorted(m for m in sys.modules if m.startswith('tree_sitter'))\n"
        "shell_script.analyse_script('exec \"$@\"\\n', 'e.sh', '/e.sh', 'sh')\n"
        "after = sorted(m for m in sys.modules if m.startswith('tree_sitter'))\n"
        "print(json.dumps([before, after, 'importlib.resources' in sys.modules]))\n"
    )
    root = Path(__file__).resolve().parents[2]
    output = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=root
    ).stdout
    before, after, resources = json.loads(output)
    assert before == []
    assert "tree_sitter" in after
    assert resources is False  # the grammar is loaded without the package's query helpers


PIECES = [
    "gunicorn app:app", 'exec "$@"', "worker &", "wait", "trap 'kill 0' TERM", "echo é✓",
    "cd /app &&", "||", ";", "\n", " ", "'", '"', "$(( 1 & 2 ))", "[[ -n $X ]]", "case $1 in",
    "a) b ;;", "esac", "if true; then", "fi", "f() {", "}", "(", ")", "<<EOF\nbody\nEOF\n",
    "\r\n", "# note", "\\\n", "${X:-y}", "`date`", ">/log 2>&1", "time", "X=1", "A=2 ",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12))
def test_any_text_gives_facts_at_real_offsets_or_a_parse_error(pieces: list[str]) -> None:
    script = "".join(pieces)
    try:
        found = facts(script)
    except ScriptParseError:
        return
    assert 0 <= found.end_offset <= len(script)
    if found.last_command is not None and found.last_offset is not None:
        assert script.find(found.last_command.value) <= found.last_offset < found.end_offset
        if found.last_is_simple and not found.last_is_exec:  # what the IL301 fix does
            offset = found.last_offset
            fixed = facts(script[:offset] + "exec " + script[offset:])
            assert fixed.last_is_exec and fixed.last_words == found.last_words
    for job in found.background_jobs:
        assert job.value.endswith("&") and job.value in script


OFFICIAL_IMAGE_STYLE = r"""#!/usr/bin/env bash
set -Eeo pipefail
file_env() {
	local var="$1" fileVar="${1}_FILE"
	if [ "${!var:-}" ] && [ "${!fileVar:-}" ]; then
		printf >&2 'error: both %s and %s are set\n' "$var" "$fileVar"; exit 1
	fi
	export "$var"="$(< "${!fileVar}")"
}
process_init_files() {
	local f
	for f; do
		case "$f" in
			*.sh)  if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
			*.sql) psql < "$f"; echo ;;
			*)     printf '%s: ignoring %s\n' "$0" "$f" ;;
		esac
	done
}
exists="$(psql --tuples-only <<-'EOSQL'
	SELECT 1 FROM pg_database WHERE datname = :'db' ;
	EOSQL
)"
args=( "$@" )
mapfile -t files < <(find /docker-entrypoint-initdb.d -type f | sort)
if [[ ${1:0:1} = '-' ]]; then set -- postgres "$@"; fi
if [[ "$1" =~ ^(postgres|pg_ctl)$ ]] && (( ${#args[@]} > 0 )); then
	count=$(( ${#files[@]} % 10 ))
	if [ "$(id -u)" = '0' ]; then
		find /var/lib/postgresql \! -user postgres -exec chown postgres '{}' +
		exec gosu postgres "$BASH_SOURCE" "$@"
	fi
fi
exec "$@"
"""


def test_an_official_image_style_entrypoint_is_read_whole() -> None:
    found = facts(OFFICIAL_IMAGE_STYLE)
    assert found.last_is_exec and found.last_words == ("$@",)
    assert found.last_offset == OFFICIAL_IMAGE_STYLE.rindex('exec "$@"')
    assert found.background_jobs == () and not found.waits and not found.traps_term


def test_a_supervising_script_with_loops_traps_and_jobs() -> None:
    script = (
        '#!/bin/bash\nterm() { kill -TERM "$child" 2>/dev/null; }\ntrap term SIGTERM SIGINT\n'
        "until pg_isready -q; do sleep 1; done\nfor name in web admin; do\n"
        '  uvicorn "app.${name}:app" &\ndone\n'
        'python -m worker --concurrency=$((RANDOM % 4 + 1)) &\nchild=$!\nwait "$child"\n'
    )
    found = facts(script)
    assert [job.span.line for job in found.background_jobs] == [6, 8]
    assert found.waits and found.traps_term and found.last_is_builtin

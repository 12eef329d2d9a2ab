"""Following PID 1 into the build context: COPY mapping, interpreters, scripts, inits."""

from __future__ import annotations

from pathlib import Path

import pytest

from initlint.model import AppEvidence
from tests.evidence.lint import lint, spec_with_evidence


def project(tmp_path: Path, dockerfile: str, files: dict[str, str]) -> Path:
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    (tmp_path / "Dockerfile").write_text(dockerfile)
    return tmp_path / "Dockerfile"


def evidence(tmp_path: Path, dockerfile: str, files: dict[str, str]) -> AppEvidence:
    found = spec_with_evidence(project(tmp_path, dockerfile, files)).evidence
    assert found is not None
    return found


SPAWNING = "import subprocess\nsubprocess.Popen(['sleep', '1'])\n"
HANDLING = "import signal\nsignal.signal(signal.SIGTERM, lambda *a: exit(0))\n"


def test_copy_of_a_file_into_a_workdir(tmp_path: Path) -> None:
    found = evidence(
        tmp_path,
        'FROM python:3.12\nWORKDIR /srv\nCOPY main.py /srv\nCMD ["python", "main.py"]\n',
        {"main.py": SPAWNING},
    )
    assert found.pid1_kind == "python" and found.entry_image_path == "/srv/main.py"
    assert [s.text for s in found.spawns] == ["main.py:2 starts subprocesses with subprocess.Popen"]


def test_relative_destination_and_later_copy_wins(tmp_path: Path) -> None:
    found = evidence(
        tmp_path,
        'FROM python:3.12\nWORKDIR /app\nCOPY old/ ./\nCOPY new/ ./\nCMD ["python", "app.py"]\n',
        {"old/app.py": SPAWNING, "new/app.py": HANDLING},
    )
    assert found.entry is not None and found.entry.endswith("new/app.py")
    assert found.sigterm_handled is True and not found.spawns


def test_copy_from_another_stage_gives_up(tmp_path: Path) -> None:
    found = evidence(
        tmp_path,
        "FROM python:3.12 AS build\nCOPY app.py /src/\n"
        'FROM python:3.12-slim\nCOPY --from=build /src /app\nCMD ["python", "/app/app.py"]\n',
        {"app.py": SPAWNING},
    )
    assert found.sigterm_handled is None and found.entry is None
    assert not lint(tmp_path / "Dockerfile")


def test_glob_sources(tmp_path: Path) -> None:
    found = evidence(
        tmp_path,
        'FROM python:3.12\nCOPY *.py /opt/\nCMD ["python3", "/opt/worker.py"]\n',
        {"worker.py": "import jobs\n", "jobs.py": SPAWNING},
    )
    assert [s.text.split()[0] for s in found.spawns] == ["jobs.py:2"]


def test_python_dash_m_package_main(tmp_path: Path) -> None:
    found = evidence(
        tmp_path,
        "FROM python:3.12\nWORKDIR /code\nCOPY . .\nCMD [\"python\", \"-u\", \"-m\", \"svc\"]\n",
        {"svc/__init__.py": "", "svc/__main__.py": "from .tasks import go\ngo()\n",
         "svc/tasks.py": "import os\n\ndef go():\n    os.system('worker &')\n"},
    )  # fmt: skip
    assert found.entry_image_path == "/code/svc/__main__.py"
    assert [s.text for s in found.spawns] == ["svc/tasks.py:4 starts subprocesses with os.system"]


def test_aliases_are_followed(tmp_path: Path) -> None:
    source = (
        "import os as o\nfrom subprocess import Popen as P\nimport multiprocessing.pool\n"
        "P(['a'])\no.fork()\nmultiprocessing.pool.Pool(2)\n"
    )
    found = evidence(tmp_path, "FROM python:3.12\nCOPY a.py /\nCMD [\"python\", \"/a.py\"]\n",
                     {"a.py": source})  # fmt: skip
    assert [s.text.split(" ", 1)[1] for s in found.spawns] == [
        "starts subprocesses with subprocess.Popen",
        "starts subprocesses with os.fork",
        "starts subprocesses with multiprocessing.pool.Pool",
    ]


def test_dead_functions_and_imported_main_blocks_do_not_count(tmp_path: Path) -> None:
    helper = (
        "import subprocess\n\n\ndef unused():\n    subprocess.run(['x'])\n\n\n"
        "if __name__ == '__main__':\n    subprocess.run(['y'])\n"
    )
    found = evidence(
        tmp_path,
        'FROM python:3.12\nCOPY . /app/\nCMD ["python", "/app/main.py"]\n',
        {"main.py": "import helper\nprint('hi')\n", "helper.py": helper},
    )
    assert found.spawns == ()
    assert found.sigterm_handled is False


def test_functions_used_elsewhere_and_decorated_ones_count(tmp_path: Path) -> None:
    source = (
        "import subprocess\nfrom flask import Flask\napp = Flask(__name__)\n\n"
        "@app.route('/')\ndef index():\n    return subprocess.Popen(['date']).pid\n"
    )
    found = evidence(tmp_path, "FROM python:3.12\nCOPY a.py /\nCMD [\"python\", \"/a.py\"]\n",
                     {"a.py": source})  # fmt: skip
    assert [s.span.line for s in found.spawns] == [7]


@pytest.mark.parametrize(
    ("source", "handled"),
    [
        ("import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_DFL)\n"
         "while True:\n    time.sleep(1)\n", False),
        ("import signal\nsignal.signal(15, print)\n", True),
        ("from signal import signal, SIGTERM\nsignal(SIGTERM, print)\n", True),
        ("import signal\nfor s in (signal.SIGINT, signal.SIGTERM):\n    signal.signal(s, print)\n",
         True),
        ("import asyncio, signal\nloop = asyncio.new_event_loop()\n"
         "loop.add_signal_handler(signal.SIGTERM, loop.stop)\n", True),
        ("import uvicorn\nuvicorn.run('app:app')\n", True),
        ("from gunicorn.app.base import BaseApplication\n\n\nclass App(BaseApplication):\n"
         "    pass\n\n\nApp().run()\n", True),
        ("import signal, time\nsignal.signal(signal.SIGINT, print)\n"
         "while True:\n    time.sleep(1)\n", False),
        # distroless examples/python3-requirements: prints and exits, a stop waits for nothing
        ("import psutil\nprint(psutil.Process().memory_info())\n", None),
        ("from django.core.management import execute_from_command_line\n"
         "execute_from_command_line()\n", None),
        ("def broken(:\n", None),
    ],
)  # fmt: skip
def test_sigterm_handling(tmp_path: Path, source: str, handled: bool | None) -> None:
    found = evidence(tmp_path, "FROM python:3.12\nCOPY a.py /\nCMD [\"python\", \"/a.py\"]\n",
                     {"a.py": source})  # fmt: skip
    assert found.sigterm_handled is handled


def test_reaping_python_app(tmp_path: Path) -> None:
    source = SPAWNING + "import os\nwhile True:\n    os.waitpid(-1, 0)\n"
    found = evidence(tmp_path, "FROM python:3.12\nCOPY a.py /\nCMD [\"python\", \"/a.py\"]\n",
                     {"a.py": source})  # fmt: skip
    assert found.reaps_orphans is True
    assert not [f for f in lint(tmp_path / "Dockerfile") if f.rule_id == "IL201"]


def test_node_dot_reads_package_main_and_ignores_comments(tmp_path: Path) -> None:
    found = evidence(
        tmp_path,
        'FROM node:20\nWORKDIR /w\nCOPY . .\nCMD ["node", "."]\n',
        {
            "package.json": '{"main": "src/start.js"}',
            "src/start.js": "// require('child_process')\n/* process.on('SIGTERM') */\n"
            "const { spawn } = require('node:child_process');\nspawn('ls');\n",
        },
    )
    assert found.entry_image_path == "/w/src/start.js"
    assert [s.span.line for s in found.spawns] == [3]
    assert found.sigterm_handled is False


def test_sh_c_in_bash_execs_the_app(tmp_path: Path) -> None:
    found = evidence(
        tmp_path,
        'FROM python:3.12\nCOPY a.py /\nCMD ["bash", "-c", "cd / && python a.py"]\n',
        {"a.py": HANDLING},
    )
    assert found.pid1_kind == "python"


def test_sh_c_in_dash_keeps_the_shell(tmp_path: Path) -> None:
    found = evidence(
        tmp_path,
        "FROM python:3.12\nCOPY a.py /\nCMD python /a.py\n",
        {"a.py": SPAWNING},
    )
    assert found.pid1_kind == "shell" and found.language == "python"
    assert not lint(tmp_path / "Dockerfile")


def test_script_on_path_execs_cmd(tmp_path: Path) -> None:
    found = evidence(
        tmp_path,
        "FROM node:20\nCOPY entry.sh /usr/local/bin/entry\nCOPY app.js /app/\n"
        'ENTRYPOINT ["entry"]\nCMD ["node", "/app/app.js"]\n',
        {"entry.sh": '#!/bin/sh\nset -e\nexec "$@"\n', "app.js": "console.log(1)\n"},
    )
    assert found.pid1_kind == "node" and found.script is not None
    assert found.script.last_is_exec and not found.script_is_pid1


def test_script_that_rewrites_its_arguments_is_not_followed(tmp_path: Path) -> None:
    script = '#!/bin/sh\nif [ "${1#-}" != "$1" ]; then\n  set -- node "$@"\nfi\nexec "$@"\n'
    found = evidence(
        tmp_path,
        'FROM node:20\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["node", "a.js"]\n',
        {"e.sh": script},
    )
    assert found.pid1_kind == "unknown"


def test_tini_below_pid1_without_subreaper(tmp_path: Path) -> None:
    dockerfile = project(
        tmp_path,
        'FROM debian:12\nCOPY run.sh /run.sh\nCMD ["/run.sh"]\n',
        {"run.sh": "#!/bin/sh\necho start\ntini -- /usr/bin/app\n"},
    )
    rules = sorted(f.rule_id for f in lint(dockerfile))
    assert rules == ["IL203", "IL301"]
    (tmp_path / "run.sh").write_text("#!/bin/sh\necho start\ntini -s -- /usr/bin/app\n")
    assert sorted(f.rule_id for f in lint(dockerfile)) == ["IL301"]


def test_script_with_case_and_arithmetic_is_read(tmp_path: Path) -> None:
    script = (
        '#!/bin/bash\ncase "$1" in\n  web) shift ;;\n  *) ;;\nesac\n'
        "n=$(( 2 + 2 ))\nif [[ $n -gt 1 ]]; then echo ok; fi\n"
        "cat > /etc/app.conf <<EOF\nworkers=$n\nEOF\ngunicorn app:app\n"
    )
    dockerfile = project(
        tmp_path, 'FROM python:3.12\nCOPY s.sh /s.sh\nCMD ["/s.sh"]\n', {"s.sh": script}
    )
    (finding,) = lint(dockerfile)
    assert finding.rule_id == "IL301" and finding.span.line == 11


def test_a_trap_runs_in_wait_not_behind_a_foreground_command(tmp_path: Path) -> None:
    # measured (tests/truth): the shell runs its trap only after `sleep 1000` ends
    script = "#!/bin/sh\ntrap 'kill $pid' TERM\nworker &\npid=$!\nsleep 1000\n"
    dockerfile = project(
        tmp_path, 'FROM debian:12\nCOPY s.sh /s.sh\nCMD ["/s.sh"]\n', {"s.sh": script}
    )
    (finding,) = lint(dockerfile)
    assert finding.rule_id == "IL302"
    assert 'its TERM trap cannot run while "sleep 1000" runs' in finding.message
    (tmp_path / "s.sh").write_text(script.replace("sleep 1000", "wait"))
    assert lint(dockerfile) == []


def test_unparseable_script_is_quiet(tmp_path: Path) -> None:
    dockerfile = project(
        tmp_path,
        'FROM debian:12\nCOPY s.sh /s.sh\nCMD ["/s.sh"]\n',
        {"s.sh": "#!/bin/sh\nif then fi (((\nworker &\nserver\n"},
    )
    assert lint(dockerfile) == []


def test_unknown_base_image_may_have_its_own_entrypoint(tmp_path: Path) -> None:
    files = {"a.py": SPAWNING}
    unknown = 'FROM registry.example.com/team/base:3\nCOPY a.py /\nCMD ["python", "/a.py"]\n'
    assert evidence(tmp_path, unknown, files).pid1_kind == "unknown"
    assert lint(tmp_path / "Dockerfile") == []
    own = unknown.replace("CMD", "ENTRYPOINT")
    assert evidence(tmp_path, own, files).pid1_kind == "python"


@pytest.mark.parametrize(
    "call",
    [
        "subprocess.run(['convert', 'a', 'b'], check=True)",
        "subprocess.check_output(['git', 'rev-parse', 'HEAD'])",
        "subprocess.Popen(['date'], stdout=subprocess.PIPE).communicate()",
        "os.system('identify x.png')",
    ],
)
def test_calls_that_wait_for_their_child_leave_no_orphan(tmp_path: Path, call: str) -> None:
    source = f"import os\nimport subprocess\n{call}\n"
    found = evidence(tmp_path, "FROM python:3.12\nCOPY a.py /\nCMD [\"python\", \"/a.py\"]\n",
                     {"a.py": source})  # fmt: skip
    assert list(found.spawns) == []


def test_a_waited_shell_that_backgrounds_a_job_orphans_it(tmp_path: Path) -> None:
    source = "import subprocess\nsubprocess.run('tail -f /log | logger &', shell=True)\n"
    found = evidence(tmp_path, "FROM python:3.12\nCOPY a.py /\nCMD [\"python\", \"/a.py\"]\n",
                     {"a.py": source})  # fmt: skip
    assert [s.span.line for s in found.spawns] == [2]

"""Fixes of the evidence rules: exact bytes, the finding gone after the fix, idempotence."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from initlint.fixes.dockerfile import dockerfile_fixer
from initlint.fixes.plan import FixPlan
from initlint.fixes.python_codemod import add_sigterm_handler
from initlint.model import AddSigtermHandler, Finding
from tests.evidence.lint import lint

APPS = Path(__file__).resolve().parents[1] / "fixtures" / "apps"


def project(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(APPS / name, target)
    return target


def only(findings: list[Finding], rule_id: str) -> Finding:
    found = [f for f in findings if f.rule_id == rule_id]
    assert len(found) == 1, findings
    return found[0]


def plan_for(dockerfile: Path, finding: Finding) -> FixPlan:
    fixer = dockerfile_fixer(dockerfile.read_text(), str(dockerfile))
    plan = fixer.plan(finding)
    assert isinstance(plan, FixPlan), plan
    return plan


def apply_writes(plan: FixPlan) -> None:
    for write in plan.writes:
        Path(write.path).write_text(write.content)


def test_il301_prefixes_exec_and_keeps_the_rest_of_the_script(tmp_path: Path) -> None:
    root = project(tmp_path, "django_entrypoint_no_exec")
    script = root / "docker-entrypoint.sh"
    script.chmod(0o755)
    before = script.read_text()
    finding = only(lint(root / "Dockerfile"), "IL301")
    plan = plan_for(root / "Dockerfile", finding)
    assert plan.edits == ()
    (write,) = plan.writes
    assert write.path == str(script) and write.mode == 0o755
    assert write.content == before.replace("\ngunicorn mysite.wsgi", "\nexec gunicorn mysite.wsgi")
    apply_writes(plan)
    assert stat.S_IMODE(script.stat().st_mode) == 0o755
    assert not [f for f in lint(root / "Dockerfile") if f.rule_id == "IL301"]


def test_il301_fix_with_crlf_script(tmp_path: Path) -> None:
    root = project(tmp_path, "django_entrypoint_no_exec")
    script = root / "docker-entrypoint.sh"
    script.write_bytes(script.read_bytes().replace(b"\n", b"\r\n"))
    finding = only(lint(root / "Dockerfile"), "IL301")
    (write,) = plan_for(root / "Dockerfile", finding).writes
    assert write.content.endswith("exec gunicorn mysite.wsgi:application --bind 0.0.0.0:8000 "
                                  "--workers 4\r\n")  # fmt: skip
    assert write.content.count("\r\n") == script.read_bytes().count(b"\r\n")


def test_il301_is_verified_through_overrides_before_anything_is_written(tmp_path: Path) -> None:
    root = project(tmp_path, "django_entrypoint_no_exec")
    finding = only(lint(root / "Dockerfile"), "IL301")
    (write,) = plan_for(root / "Dockerfile", finding).writes
    after = lint(root / "Dockerfile", overrides={write.path: write.content})
    assert not [f for f in after if f.rule_id == "IL301"]
    assert "exec gunicorn" not in (root / "docker-entrypoint.sh").read_text()


def test_il302_replaces_the_keep_alive_with_wait(tmp_path: Path) -> None:
    root = project(tmp_path, "nginx_php_background")
    finding = only(lint(root / "Dockerfile"), "IL302")
    plan = plan_for(root / "Dockerfile", finding)
    (write,) = plan.writes
    assert write.content.endswith("# keep the container running\nwait\n")
    apply_writes(plan)
    assert not [f for f in lint(root / "Dockerfile") if f.rule_id == "IL302"]


def test_il302_adds_wait_after_a_foreground_last_command(tmp_path: Path) -> None:
    root = project(tmp_path, "nginx_php_background")
    (root / "start.sh").write_text("#!/bin/sh\nworker --queue mail &\nsleep 1; echo started\n")
    finding = only(lint(root / "Dockerfile"), "IL302")
    (write,) = plan_for(root / "Dockerfile", finding).writes
    assert write.content == (
        "#!/bin/sh\n"
        "trap 'trap \"\" TERM INT; kill -TERM 0; wait; exit 143' TERM INT\n"
        "worker --queue mail &\nsleep 1; echo started\nwait\n"
    )


def test_il203_inserts_the_separator_at_the_end_of_the_entrypoint(tmp_path: Path) -> None:
    root = project(tmp_path, "tini_missing_separator")
    dockerfile = root / "Dockerfile"
    finding = only(lint(dockerfile), "IL203")
    plan = plan_for(dockerfile, finding)
    fixer = dockerfile_fixer(dockerfile.read_text(), str(dockerfile))
    fixed = fixer.source.apply(plan.edits)
    assert fixed == dockerfile.read_text().replace(
        'ENTRYPOINT ["/usr/bin/tini"]', 'ENTRYPOINT ["/usr/bin/tini", "--"]'
    )
    assert not lint(dockerfile, text=fixed)


def test_il203_separator_inside_one_command(tmp_path: Path) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text('FROM debian:12\nCMD ["tini", "-g", "nginx", "-g", "daemon off;"]\n')
    finding = only(lint(dockerfile), "IL203")
    fixer = dockerfile_fixer(dockerfile.read_text(), str(dockerfile))
    fixed = fixer.source.apply(plan_for(dockerfile, finding).edits)
    assert fixed == 'FROM debian:12\nCMD ["tini", "-g", "--", "nginx", "-g", "daemon off;"]\n'


def test_il203_stacked_init_is_removed_by_the_unsafe_fix(tmp_path: Path) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        'FROM node:20\nENTRYPOINT ["tini", "--", "dumb-init", "--", "node", "server.js"]\n'
    )
    finding = only(lint(dockerfile), "IL203")
    assert finding.fix is not None and finding.fix.applicability.value == "unsafe"
    fixer = dockerfile_fixer(dockerfile.read_text(), str(dockerfile))
    fixed = fixer.source.apply(plan_for(dockerfile, finding).edits)
    assert fixed == 'FROM node:20\nENTRYPOINT ["tini", "--", "node", "server.js"]\n'


@pytest.mark.parametrize("name", ["flask_subprocess", "python_worker_pool", "node_express"])
def test_il201_il202_inject_an_init_and_the_findings_go(tmp_path: Path, name: str) -> None:
    root = project(tmp_path, name)
    dockerfile = root / "Dockerfile"
    findings = [f for f in lint(dockerfile) if f.rule_id in ("IL201", "IL202")]
    assert findings
    plan = plan_for(dockerfile, findings[0])
    fixer = dockerfile_fixer(dockerfile.read_text(), str(dockerfile))
    fixed = fixer.source.apply(plan.edits)
    assert "ENTRYPOINT [" in fixed
    assert not [f for f in lint(dockerfile, text=fixed) if f.rule_id in ("IL201", "IL202")]


def test_il202_offers_the_codemod_when_no_init_strategy_exists(tmp_path: Path) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        "FROM registry.example.com/base/runtime:7\n"
        "COPY app.py /srv/\n"
        'ENTRYPOINT ["python3", "/srv/app.py"]\n'
    )
    (tmp_path / "app.py").write_text("import time\n\nwhile True:\n    time.sleep(1)\n")
    finding = only(lint(dockerfile), "IL202")
    assert finding.fix is not None
    assert finding.fix.applicability.value == "unsafe"
    assert finding.fix.intent == AddSigtermHandler(str(tmp_path / "app.py"))
    plan = plan_for(dockerfile, finding)
    after = lint(dockerfile, overrides={w.path: w.content for w in plan.writes})
    assert not [f for f in after if f.rule_id == "IL202"]


def test_codemod_keeps_formatting_and_is_idempotent() -> None:
    source = (
        '"""A worker."""\n'
        "from __future__ import annotations\n\n"
        "import time  # the clock\n"
        "import os\n\n\n"
        "def main() -> None:\n"
        "    while True:\n"
        "        time.sleep(1)   # odd spacing kept\n\n\n"
        "if __name__ == '__main__':\n"
        "    main()\n"
    )
    fixed = add_sigterm_handler(source)
    assert fixed is not None
    assert fixed.startswith('"""A worker."""\nfrom __future__ import annotations\n\n'
                            "import time  # the clock\nimport os\nimport signal as "
                            "_initlint_signal\n")  # fmt: skip
    assert fixed.endswith(source[source.index("\n\n\ndef main") + 1 :])
    assert add_sigterm_handler(fixed) is None
    compile(fixed, "worker.py", "exec")

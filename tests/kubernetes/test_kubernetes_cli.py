"""initlint on Kubernetes manifests as a user runs it, and its fixes: exec insertion (safe),
shareProcessNamespace (unsafe only), other documents byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.compose.helpers import FIXTURES, run_initlint
from tests.compose.test_compose_cli import locations

KUBE = FIXTURES / "kubernetes"


def test_fixture_manifests() -> None:
    result = run_initlint(
        "cronjob-report.yaml",
        "helm-rendered-deployment.yaml",
        "pod-list.yaml",
        "sidecar-deployment.yaml",
        "pdf-renderer.yaml",
        cwd=KUBE,
    )
    assert result.returncode == 1, result.stderr
    assert locations(result.stdout) == [
        "cronjob-report.yaml:29:19: IL103",
        "helm-rendered-deployment.yaml:60:15: IL103",
        "pod-list.yaml:12:11: IL202",  # bash execs the last command: sleep ignores SIGTERM
        "sidecar-deployment.yaml:17:33: IL103",  # the sidecar; the app's IL103 is ignored
        "pdf-renderer.yaml:20:11: IL201",
    ]
    assert "pod termination will wait the whole grace period" in result.stdout


def test_helm_template_output_on_stdin() -> None:
    text = (KUBE / "helm-rendered-deployment.yaml").read_text()
    result = run_initlint("-", stdin=text)
    assert locations(result.stdout) == ["<stdin>:60:15: IL103"]


def test_exec_fix_keeps_other_documents_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "deploy.yaml"
    shutil.copy(KUBE / "helm-rendered-deployment.yaml", path)
    before = path.read_text()
    result = run_initlint("--fix", "deploy.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    after = path.read_text()
    assert after == before.replace("--noinput && gunicorn", "--noinput && exec gunicorn")
    assert after.count("\n---\n") == before.count("\n---\n") == 3


def test_exec_fix_in_a_block_scalar_of_a_cronjob(tmp_path: Path) -> None:
    path = tmp_path / "cron.yaml"
    shutil.copy(KUBE / "cronjob-report.yaml", path)
    before = path.read_text()
    run_initlint("--fix", "cron.yaml", cwd=tmp_path)
    assert path.read_text() == before.replace(
        "                  python build_report.py", "                  exec python build_report.py"
    )


def test_share_process_namespace_only_with_unsafe_fixes(tmp_path: Path) -> None:
    path = tmp_path / "pdf.yaml"
    shutil.copy(KUBE / "pdf-renderer.yaml", path)
    before = path.read_text()
    safe = run_initlint("--fix", "pdf.yaml", cwd=tmp_path)
    assert safe.returncode == 1 and path.read_text() == before
    unsafe = run_initlint("--fix", "--unsafe-fixes", "pdf.yaml", cwd=tmp_path)
    assert unsafe.returncode == 0, unsafe.stdout + unsafe.stderr
    assert path.read_text() == before + "      shareProcessNamespace: true\n"
    json_out = run_initlint("--format", "json", str(KUBE / "pdf-renderer.yaml"))
    assert "every container of the pod then sees and can signal" in json_out.stdout


def test_kustomize_style_list_on_stdin() -> None:
    result = run_initlint("-", stdin=(KUBE / "pod-list.yaml").read_text())
    assert locations(result.stdout) == ["<stdin>:12:11: IL202"], result.stderr


def test_messages_with_share_process_namespace_name_pause_as_pid1(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: api}\nspec:\n  shareProcessNamespace: true\n"
        '  containers:\n    - name: api\n      image: node:20\n      command: ["npm", "start"]\n'
    )
    result = run_initlint("p.yaml", cwd=tmp_path)
    assert locations(result.stdout) == ["p.yaml:9:17: IL104"]
    assert "the pod's pause container will be PID 1 (shareProcessNamespace)" in result.stdout
    assert "goes to npm, which is not PID 1" in result.stdout


def test_sh_c_dashdash_runs_the_args_and_the_fix_execs_the_program(tmp_path: Path) -> None:
    # from a real manifest (`command: ["/bin/sh", "-c", "--"]`, `args: ["amicontained"]`):
    # `--` ends the shell's options, the script is the first arg; the fix once wrote
    # `exec --` (an exec of nothing) in its place, and the shell then ran nothing at all
    path = tmp_path / "pod.yaml"
    before = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n"
        "    - name: app\n      image: debian:12\n"
        '      command: ["/bin/sh", "-c", "--"]\n      args: ["python3 /app.py"]\n'
    )
    path.write_text(before)
    lint = run_initlint("pod.yaml", cwd=tmp_path)
    assert 'running "python3 /app.py"' in lint.stdout, lint.stdout
    for options in (("--fix",), ("--fix", "--unsafe-fixes")):
        path.write_text(before)
        run_initlint(*options, "pod.yaml", cwd=tmp_path)
        fixed = before.replace('["python3 /app.py"]', '["exec python3 /app.py"]')
        assert path.read_text() == fixed

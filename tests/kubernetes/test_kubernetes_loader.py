"""The Kubernetes loader: pod templates of every workload kind, the command/args override
table, $(VAR) expansion, sidecars, shareProcessNamespace, grace period and preStop."""

from __future__ import annotations

from pathlib import Path

import pytest

from initlint.checks.registry import rule_by_id
from initlint.errors import InputError
from initlint.sources.kubernetes import expand_references
from initlint.sources.yaml_inputs import load_yaml
from tests.compose.helpers import FIXTURES, specs

KUBE = FIXTURES / "kubernetes"
POD = """apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: main
      image: {image}
{fields}"""


def pod(tmp_path: Path, fields: str, image: str = "python:3.12-slim") -> dict[str, object]:
    return specs(POD.format(image=image, fields=fields), tmp_path / "pod.yaml")  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("fields", "argv"),
    [
        ('      command: ["python", "app.py"]\n', ("python", "app.py")),
        ('      command: ["python"]\n      args: ["app.py", "-v"]\n', ("python", "app.py", "-v")),
        # args alone: the image's ENTRYPOINT (python images have none) plus args
        ('      args: ["python", "worker.py"]\n', ("python", "worker.py")),
        # neither: the image's own CMD, unknown by name
        ("      ports: [{containerPort: 80}]\n", ()),
    ],
)
def test_command_and_args_override_table(
    tmp_path: Path, fields: str, argv: tuple[str, ...]
) -> None:
    found = pod(tmp_path, fields)
    assert found["Pod/app/main"].argv == argv  # type: ignore[attr-defined]


def test_args_alone_on_an_image_with_an_unknown_entrypoint(tmp_path: Path) -> None:
    found = pod(tmp_path, '      args: ["--port", "80"]\n', image="example.com/app:1")
    assert found["Pod/app/main"].argv == ()  # type: ignore[attr-defined]


def test_variable_references() -> None:
    env = {"PORT": "8080", "DIR": "/srv"}
    assert (
        expand_references("cd $(DIR) && serve --port=$(PORT)", env)
        == "cd /srv && serve --port=8080"
    )
    assert expand_references("$(UNSET) $$(PORT) $(date +%F)", env) == "$(UNSET) $(PORT) $(date +%F)"


def test_env_values_expand_in_command(tmp_path: Path) -> None:
    fields = (
        "      env:\n        - name: APP\n          value: /srv/app.py\n"
        "        - name: SECRET\n          valueFrom: {secretKeyRef: {name: s, key: k}}\n"
        '      command: ["python", "$(APP)", "$(SECRET)"]\n'
    )
    spec = pod(tmp_path, fields)["Pod/app/main"]
    assert spec.argv == ("python", "/srv/app.py", "$(SECRET)")  # type: ignore[attr-defined]


def test_every_workload_kind_and_list_and_documents() -> None:
    loaded = load_yaml((KUBE / "pod-list.yaml").read_text(), "pod-list.yaml")
    assert [s.name for s in loaded.specs] == [
        "Pod/debug-shell/shell",
        "Pod/log-shipper/shipper",  # a sidecar (restartPolicy: Always) counts
        "Pod/log-shipper/app",
    ]
    cron = load_yaml((KUBE / "cronjob-report.yaml").read_text(), "cronjob-report.yaml")
    assert [s.name for s in cron.specs] == ["CronJob/nightly-report/report"]  # no wait-for-db
    helm = load_yaml(
        (KUBE / "helm-rendered-deployment.yaml").read_text(), "helm-rendered-deployment.yaml"
    )
    assert [s.name for s in helm.specs] == ["Deployment/shop-web/web", "Deployment/shop-web/nginx"]
    assert helm.specs[0].stop_grace_seconds == 45.0
    assert helm.specs[1].pre_stop is not None
    assert helm.specs[1].pre_stop.value == "nginx -s quit"


@pytest.mark.parametrize(
    "kind",
    [
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "ReplicaSet",
        "Job",
        "ReplicationController",
        "DeploymentConfig",
        "Rollout",
    ],
)
def test_pod_template_kinds(tmp_path: Path, kind: str) -> None:
    text = (
        f"apiVersion: apps/v1\nkind: {kind}\nmetadata: {{name: w}}\nspec:\n  template:\n"
        "    spec:\n      containers:\n        - name: c\n          image: python:3.12\n"
        "          command: [python, app.py]\n"
    )
    assert specs(text, tmp_path / "w.yaml")[f"{kind}/w/c"].argv == ("python", "app.py")


def test_share_process_namespace_makes_pause_pid1(tmp_path: Path) -> None:
    text = (KUBE / "pdf-renderer.yaml").read_text()
    before = specs(text, tmp_path / "a.yaml")["Deployment/pdf-renderer/chromium"]
    assert before.init is None
    assert [f.rule_id for f in rule_by_id("IL201").check(before)] == ["IL201"]
    shared = text.replace(
        "      containers:\n", "      shareProcessNamespace: true\n      containers:\n"
    )
    after = specs(shared, tmp_path / "b.yaml")["Deployment/pdf-renderer/chromium"]
    assert after.init is not None and (after.init.name, after.init.how) == (
        "pause",
        "share-process-namespace",
    )
    assert rule_by_id("IL201").check(after) == []
    assert rule_by_id("IL202").check(after) == []


def test_findings_point_at_the_yaml_positions(tmp_path: Path) -> None:
    spec = specs((KUBE / "pdf-renderer.yaml").read_text(), tmp_path / "a.yaml")[
        "Deployment/pdf-renderer/chromium"
    ]
    (finding,) = rule_by_id("IL201").check(spec)
    assert (finding.span.line, finding.span.column) == (20, 11)  # the command key


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("bad/command-string.yaml", 9, "command must be a list of strings"),
        ("bad/not-a-manifest-document.yaml", 5, "YAML document 2 is not a Kubernetes object"),
        ("chart/templates/deployment.yaml", 4, "unrendered Helm template"),
    ],
)
def test_bad_manifests(name: str, line: int, message: str) -> None:
    with pytest.raises(InputError) as raised:
        load_yaml((KUBE / name).read_text(), name)
    assert raised.value.line == line
    assert message in raised.value.message


def test_rendered_go_templates_in_config_data_are_not_helm_errors() -> None:
    text = (KUBE / "helm-rendered-deployment.yaml").read_text()
    assert "{{ define" in text
    load_yaml(text, "helm-rendered-deployment.yaml")  # no InputError


def test_helm_expressions_that_happen_to_parse_are_still_unrendered() -> None:
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: '{{ .Release.Name }}-web'\nspec:\n"
        "  containers:\n    - name: web\n      image: nginx:1.27\n"
    )
    with pytest.raises(InputError) as raised:
        load_yaml(text, "pod.yaml")
    assert raised.value.line == 4
    assert "unrendered Helm template" in raised.value.message


def test_host_pid_namespace_means_the_app_is_not_pid1(tmp_path: Path) -> None:
    text = (KUBE / "pdf-renderer.yaml").read_text()
    shared = text.replace("      containers:\n", "      hostPID: true\n      containers:\n")
    spec = specs(shared, tmp_path / "a.yaml")["Deployment/pdf-renderer/chromium"]
    assert spec.init is not None and spec.init.how == "host-pid"
    assert rule_by_id("IL201").check(spec) == []


def test_compose_pid_host(tmp_path: Path) -> None:
    text = "services:\n  agent:\n    image: python:3.12\n    pid: host\n"
    text += '    entrypoint: ["npm", "start"]\n'
    (finding,) = rule_by_id("IL104").check(specs(text, tmp_path / "compose.yaml")["agent"])
    assert "the host's init will be PID 1" in finding.message

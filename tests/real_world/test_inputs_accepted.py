"""Files that BuildKit, docker compose or kubectl accept are linted, never refused or skipped.

Shapes from the real-world audit (issue 11): a rendered operator install bigger than a
Dockerfile may be, a CRD whose enum holds the YAML 1.1 "=" value, a Containerfile whose base
comes from --build-arg.
"""

from __future__ import annotations

from pathlib import Path

from initlint.pipeline import LintOptions, run

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: keepalive
spec:
  template:
    spec:
      containers:
        - name: app
          image: busybox:1.36
          command: ["sleep", "infinity"]
"""


def lint(path: Path) -> tuple[list[str], list[str], list[str]]:
    report = run([str(path.parent)], LintOptions(use_docker=False, failure_threshold="none"))
    errors = [str(f.error) for f in report.files if f.error is not None]
    skipped = [str(f.skipped) for f in report.files if f.skipped]
    return [f.rule_id for f in report.findings], errors, skipped


def test_a_rendered_install_of_two_mebibytes_is_linted(tmp_path: Path) -> None:
    config = "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{n}\ndata:\n  k: '{pad}'\n"
    parts = [config.format(n=n, pad="x" * 1000) for n in range(2000)]
    path = tmp_path / "install.yaml"
    path.write_text("".join(parts) + "---\n" + DEPLOYMENT)
    assert path.stat().st_size > 2 * 1024 * 1024
    _, errors, skipped = lint(path)
    assert errors == [] and skipped == []


def test_a_crd_with_the_equals_value_is_read(tmp_path: Path) -> None:
    # prometheus-operator's AlertmanagerConfig CRD: matchType enum ["!=", "=", "=~", "!~"]
    path = tmp_path / "crd.yaml"
    path.write_text(
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
        "metadata:\n  name: x.example.com\nspec:\n  enum:\n  - '!='\n  - =\n  - =~\n"
        "---\n" + DEPLOYMENT
    )
    rule_ids, errors, skipped = lint(path)
    assert errors == [] and skipped == []
    assert "IL202" in rule_ids  # the Deployment after the CRD is linted: sleep ignores SIGTERM


def test_a_containerfile_based_on_a_build_arg_is_linted(tmp_path: Path) -> None:
    # cert-manager's hack/containers/Containerfile.*: BASE_IMAGE comes from --build-arg
    path = tmp_path / "Containerfile"
    path.write_text(
        'ARG BASE_IMAGE\nFROM $BASE_IMAGE\nUSER 1000\nCOPY app /app\nENTRYPOINT ["/app"]\n'
    )
    found, errors, skipped = lint(path)
    assert errors == [] and skipped == [] and found == []


def test_an_ipv6_address_in_a_flow_list_is_read(tmp_path: Path) -> None:
    # istio's ServiceEntry samples: addresses: [2001:db8::1] style plain scalars in flow lists,
    # which go-yaml (kubectl) accepts and libyaml refuses
    path = tmp_path / "serviceentry.yaml"
    path.write_text(
        "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: v6\n"
        "spec:\n  hosts: [a.example.com]\n  addresses: [1.2.3.4, 001:db8::]\n"
        "---\n" + DEPLOYMENT
    )
    rule_ids, errors, skipped = lint(path)
    assert errors == [] and skipped == []
    assert "IL202" in rule_ids  # the Deployment after it is still linted: sleep ignores SIGTERM


def test_yaml_that_no_parser_accepts_is_still_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("apiVersion: v1\nkind: Pod\nspec: [unclosed\n")
    report = run([str(path)], LintOptions(use_docker=False, failure_threshold="none"))
    errors = [str(f.error) for f in report.files if f.error is not None]
    assert len(errors) == 1 and "broken.yaml" in errors[0] and "invalid YAML" in errors[0]

"""`initlint --image`: the RuntimeSpec and facts of built images, read without running them."""

from __future__ import annotations

from pathlib import Path

import docker
import pytest

from initlint.engine.images import INSPECT_LABEL, connect, image_span, inspect_image
from initlint.errors import InputError
from initlint.evidence.image import load_image_specs
from initlint.model import CommandForm, ShellFamily, SourceKind
from initlint.sources.image import read_refs, relocate_findings
from tests.images.conftest import ImageBuilder

pytestmark = pytest.mark.docker


def test_shell_form_cmd_is_read_as_shell_form_run_by_dash(fixture_image: ImageBuilder) -> None:
    ref = fixture_image("shell_form")
    [spec] = load_image_specs([ref])

    assert spec.source_kind is SourceKind.IMAGE
    assert spec.path == f"image:{ref}"
    assert spec.span == image_span(ref)
    assert spec.entrypoint is None
    assert spec.cmd is not None
    assert spec.cmd.form is CommandForm.SHELL
    assert spec.cmd.shell == ("/bin/sh", "-c")
    assert spec.cmd.script is not None and spec.cmd.script.value == "python3 /app.py"
    assert spec.argv == ("/bin/sh", "-c", "python3 /app.py")
    assert spec.shell_family is ShellFamily.DASH  # /bin/sh -> /usr/bin/dash in the image
    assert spec.init is None


def test_exec_form_and_the_app_file_copied_for_evidence(fixture_image: ImageBuilder) -> None:
    [spec] = load_image_specs([fixture_image("exec_no_handler")])

    assert spec.cmd is not None and spec.cmd.form is CommandForm.EXEC
    assert spec.argv == ("python3", "/app.py")
    assert spec.build_context is not None
    copied = Path(spec.build_context) / "app.py"
    assert "SIGTERM handler" in copied.read_text()  # the file as it is in the image


def test_bundled_init_in_the_argv_is_found(fixture_image: ImageBuilder) -> None:
    [spec] = load_image_specs([fixture_image("with_init")])

    assert spec.argv == (
        "python3", "-I", "-S", "/usr/local/bin/initlint-init", "--", "python3", "/app.py",
    )  # fmt: skip
    assert spec.init is not None and spec.init.name == "initlint-init"


def test_entrypoint_script_and_app_folder_are_copied(fixture_image: ImageBuilder) -> None:
    client = connect()
    try:
        inspection = inspect_image(client, fixture_image("entrypoint_script"))
    finally:
        client.close()
    assert inspection.config.working_dir == "/app"
    assert inspection.files_root is not None
    root = Path(inspection.files_root)
    # found on PATH like the engine finds it, then copied at its image path
    script = root / "usr/local/bin/docker-entrypoint.sh"
    assert script.read_text().startswith("#!/bin/sh")
    # the Python entry relative to WORKDIR, and its folder for local imports
    assert (root / "app/main.py").exists()
    assert (root / "app/helpers.py").exists()
    assert set(inspection.copied_files) >= {
        "/usr/local/bin/docker-entrypoint.sh",
        "/app/main.py",
        "/app/helpers.py",
    }


def test_config_fields_shell_stop_signal_user_labels_healthcheck(
    fixture_image: ImageBuilder,
) -> None:
    client = connect()
    try:
        inspection = inspect_image(client, fixture_image("config"))
    finally:
        client.close()
    config = inspection.config
    assert config.shell == ("/bin/bash", "-c")
    assert config.stop_signal == "SIGQUIT"
    assert config.user == "nobody"
    assert config.labels["org.opencontainers.image.title"] == "config fixture"
    assert config.healthcheck is not None and config.healthcheck["Test"] == ["CMD-SHELL", "true"]

    [spec] = load_image_specs([fixture_image("config")])
    assert spec.cmd is not None and spec.cmd.form is CommandForm.SHELL
    assert spec.cmd.shell == ("/bin/bash", "-c")
    assert spec.shell_family is ShellFamily.BASH  # the SHELL, not /bin/sh
    assert spec.stop_signal is not None and spec.stop_signal.value == "SIGQUIT"
    assert spec.user == "nobody"


def test_file_system_facts_of_the_two_base_images(
    docker_client: docker.DockerClient, debian_python_image: str, busybox_image: str
) -> None:
    client = connect()
    try:
        debian = inspect_image(client, debian_python_image).facts
        busybox = inspect_image(client, busybox_image).facts
    finally:
        client.close()
    assert debian.facts.shell is ShellFamily.DASH
    assert debian.sh_target == "/usr/bin/dash"
    assert debian.facts.has_python3 is True
    assert debian.facts.package_manager == "apt"
    assert debian.inits == ()

    assert busybox.facts.shell is ShellFamily.ASH
    assert busybox.sh_target == "/bin/busybox"
    assert busybox.facts.has_python3 is False
    assert busybox.facts.package_manager is None


def test_inspection_leaves_no_container_behind(
    docker_client: docker.DockerClient, fixture_image: ImageBuilder
) -> None:
    def inspection_containers() -> set[str]:
        found = docker_client.containers.list(all=True, filters={"label": f"{INSPECT_LABEL}=1"})
        return {container.id for container in found}

    # the engine is shared: only containers this inspection made count
    before = inspection_containers()
    load_image_specs([fixture_image("shell_form"), fixture_image("exec_with_handler")])
    assert inspection_containers() - before == set()


def test_missing_image_is_one_line_input_error(docker_client: docker.DockerClient) -> None:
    ref = "initlint-test/no-such-image:never"
    with pytest.raises(InputError) as raised:
        load_image_specs([ref])
    message = str(raised.value)
    assert message.startswith(f"{ref}: error: image not found in the local engine")
    assert "--pull" in message
    assert "\n" not in message


def test_pull_of_an_unreachable_image_is_an_input_error(docker_client: docker.DockerClient) -> None:
    # No registry is reachable from the test machines: the pull itself fails, cleanly.
    ref = "localhost:1/initlint-test/no-such-image:never"
    with pytest.raises(InputError) as raised:
        load_image_specs([ref], pull=True)
    assert str(raised.value).startswith(f"{ref}: error: cannot pull image")


def test_refs_from_stdin_lines() -> None:
    lines = ["alpine:3.20\n", "\n", "  # a comment\n", "myapp:1 # trailing\n"]
    assert list(read_refs(lines)) == ["alpine:3.20", "myapp:1"]


def test_findings_in_copied_scripts_point_into_the_image(fixture_image: ImageBuilder) -> None:
    from initlint.checks.registry import ALL_RULES

    ref = fixture_image("entrypoint_script")
    [spec] = load_image_specs([ref])
    assert spec.evidence is not None and spec.evidence.script_is_pid1
    findings = relocate_findings(spec, [f for rule in ALL_RULES for f in rule.check(spec)])
    [il301] = [f for f in findings if f.rule_id == "IL301"]
    assert il301.span.path == f"image:{ref}:/usr/local/bin/docker-entrypoint.sh"
    assert il301.span.line == 5  # the `"$@"` line of the script

"""The RuntimeSpec against the engine itself: build each Dockerfile on the local busybox base
image (no registry, no network) and compare ENTRYPOINT, CMD, USER and STOPSIGNAL with the
image config the engine recorded. The engine here is dockerd's classic builder, whose
ENTRYPOINT/CMD/SHELL/ONBUILD semantics BuildKit kept; heredocs (BuildKit only) are left to
the parser differential test."""

from __future__ import annotations

import contextlib
import io
import re
import uuid
from collections.abc import Iterator
from typing import Any

import docker
import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from initlint.model import RuntimeSpec
from initlint.sources.dockerfile import load_dockerfile_text
from tests.sources.dockerfile_strategies import semantic_dockerfiles

pytestmark = pytest.mark.docker

CASES: dict[str, tuple[str, str | None]] = {
    "exec-cmd": ('FROM {base}\nCMD ["python3", "app.py"]\n', None),
    "shell-cmd": ("FROM {base}\nCMD python3 app.py --port $PORT\n", None),
    "shell-then-cmd": ('FROM {base}\nSHELL ["/bin/ash", "-eo", "pipefail", "-c"]\nCMD run\n', None),
    "cmd-then-shell": ('FROM {base}\nCMD run\nSHELL ["/bin/ash", "-c"]\n', None),
    "shell-inherited": (
        'FROM {base} AS a\nSHELL ["/bin/ash", "-c"]\nFROM a\nENTRYPOINT exec app\n',
        None,
    ),
    "exec-entrypoint-shell-cmd": ('FROM {base}\nENTRYPOINT ["/init"]\nCMD run server\n', None),
    "shell-entrypoint-exec-cmd": ('FROM {base}\nENTRYPOINT exec app\nCMD ["--verbose"]\n', None),
    "inherit-everything": (
        'FROM {base} AS a\nENTRYPOINT ["tini", "--"]\nCMD ["app"]\nUSER 1000:1000\n'
        "STOPSIGNAL SIGINT\nFROM a AS b\nRUN true\n",
        None,
    ),
    "entrypoint-resets-inherited-cmd": (
        'FROM {base} AS a\nCMD ["python3"]\nFROM a\nENTRYPOINT ["python3"]\n',
        None,
    ),
    "cmd-before-entrypoint-kept": (
        'FROM {base} AS a\nCMD ["x"]\nFROM a\nCMD ["app.py"]\nENTRYPOINT ["python3"]\n',
        None,
    ),
    "cmd-after-entrypoint": (
        'FROM {base} AS a\nCMD ["x"]\nFROM a\nENTRYPOINT ["e"]\nCMD ["y"]\n',
        None,
    ),
    "empty-entrypoint-resets": ('FROM {base} AS a\nCMD ["x"]\nFROM a\nENTRYPOINT []\n', None),
    "trailing-comma": ('FROM {base}\nCMD ["python", "app.py",]\n', None),
    "single-quotes": ("FROM {base}\nENTRYPOINT ['python', 'app.py']\n", None),
    "nan": ('FROM {base}\nCMD ["sleep", NaN]\n', None),
    "text-after-array": ('FROM {base}\nCMD ["echo", "a"] dropped text\n', None),
    "exec-not-substituted": ('FROM {base}\nENV X=1\nCMD ["echo", "$X", "${{X}}"]\n', None),
    "user-and-signal-substituted": (
        'FROM {base}\nARG U=app\nENV G=grp\nUSER "$U":$G\nSTOPSIGNAL ${{SIG:-SIGINT}}\n',
        None,
    ),
    "env-wins-over-arg": ("FROM {base}\nENV U=env\nARG U=arg\nUSER $U\n", None),
    "env-sees-earlier-values": ("FROM {base}\nENV A=1 B=${{A}}x\nENV C=$A$B\nUSER $C\n", None),
    "global-arg-in-from": ("ARG BASE={base}\nARG U=nobody\nFROM $BASE\nARG U\nUSER $U\n", None),
    "global-arg-invisible": ("ARG U=nobody\nFROM {base}\nUSER x$U\n", None),
    "target-middle": (
        'FROM {base} AS build\nCMD ["make"]\nFROM build AS test\nCMD ["make", "test"]\n'
        'FROM {base}\nCMD ["run"]\n',
        "test",
    ),
    "target-case": ('FROM {base} AS Build\nCMD ["b"]\nFROM {base}\nCMD ["last"]\n', "BUILD"),
    "onbuild-not-in-declaring-stage": ('FROM {base}\nONBUILD CMD ["x"]\nCMD ["own"]\n', None),
    "onbuild-applied-in-child": (
        'FROM {base} AS a\nONBUILD CMD ["from", "trigger"]\nONBUILD USER 7\n'
        "ONBUILD STOPSIGNAL SIGHUP\nFROM a\n",
        None,
    ),
    "onbuild-before-own-instructions": (
        'FROM {base} AS a\nONBUILD CMD ["trigger"]\nFROM a\nCMD ["own"]\n',
        None,
    ),
    "onbuild-entrypoint-resets-inherited-cmd": (
        'FROM {base} AS a\nCMD ["inherited"]\nONBUILD ENTRYPOINT ["e"]\nFROM a\n',
        None,
    ),
    "onbuild-shell-then-cmd": (
        'FROM {base} AS a\nONBUILD SHELL ["/bin/ash", "-c"]\nFROM a\nCMD run\n',
        None,
    ),
    "onbuild-once-only": (
        'FROM {base} AS a\nONBUILD CMD ["trigger"]\nFROM a AS b\nCMD ["b"]\nFROM b\n',
        None,
    ),
    "continuation-and-comments": (
        "FROM {base}\nCMD echo a \\\n# a comment\n\n    && exec b \\  \n    --flag\n",
        None,
    ),
    "json-across-lines": ('FROM {base}\nCMD [ \\\n  "a", \\\n# note\n  "b" ]\n', None),
    "escape-backtick": ("# escape=`\nFROM {base}\nCMD echo C:\\dir `\n    next\n", None),
    "double-backslash-ends-line": ('FROM {base}\nRUN echo a\\\\\nCMD ["own", "line"]\n', None),
    "crlf": ("FROM {base}\r\nCMD echo \\\r\n  crlf\r\nUSER 5\r\n", None),
    "bom": ('\ufeffFROM {base}\nCMD ["bom"]\n', None),
    "lower-case": ('from {base} as a\nentrypoint ["/bin/x"]\ncmd ["y"]\nuser nobody\n', None),
    "repeated": ('FROM {base}\nCMD ["1"]\nENTRYPOINT ["e1"]\nCMD ["2"]\nENTRYPOINT ["e2"]\n', None),
    "leading-escape-line": ('FROM {base}\n\\\nCMD ["after", "lone", "escape"]\n', None),
}


@pytest.fixture(scope="module")
def engine(docker_client: docker.DockerClient, busybox_image: str) -> Iterator[_Engine]:
    built = _Engine(docker_client, busybox_image)
    try:
        yield built
    finally:
        built.clean()


class _Engine:
    def __init__(self, client: docker.DockerClient, base: str) -> None:
        self.client = client
        self.base = base
        self.base_id = client.images.get(base).id
        self.created: list[str] = []

    def config(self, text: str, target: str | None) -> dict[str, Any]:
        tag = f"initlint-test/loader-probe:{uuid.uuid4().hex[:12]}"
        self.created.append(tag)
        image, logs = self.client.images.build(
            fileobj=io.BytesIO(text.encode("utf-8")),
            tag=tag,
            target=target,
            rm=True,
            forcerm=True,
            network_mode="none",
        )
        for entry in logs:
            step = re.match(r"^ ---> ([0-9a-f]{12})$", str(entry.get("stream", "")).strip())
            if step and step.group(1) not in self.base_id:
                self.created.append(step.group(1))
        config: dict[str, Any] = image.attrs["Config"]
        return config

    def clean(self) -> None:
        for image in reversed(self.created):
            # an intermediate image may already have gone with its child
            with contextlib.suppress(docker.errors.APIError):
                self.client.images.remove(image, force=True, noprune=False)


def _ours(spec: RuntimeSpec) -> dict[str, Any]:
    return {
        "Entrypoint": list(spec.entrypoint.argv) if spec.entrypoint else None,
        "Cmd": list(spec.cmd.argv) if spec.cmd else None,
        "User": spec.user or "",
        "StopSignal": spec.stop_signal.value if spec.stop_signal else None,
    }


def _engine_view(config: dict[str, Any]) -> dict[str, Any]:
    return {
        "Entrypoint": config.get("Entrypoint") or None,
        "Cmd": config.get("Cmd") or None,
        "User": config.get("User") or "",
        "StopSignal": config.get("StopSignal"),
    }


@pytest.mark.parametrize("name", sorted(CASES))
def test_runtime_spec_matches_the_image_config(engine: _Engine, name: str) -> None:
    template, target = CASES[name]
    text = template.format(base=engine.base)
    spec = load_dockerfile_text(text, "/context/Dockerfile", target)
    ours = _ours(spec)
    if ours["Entrypoint"] == []:
        ours["Entrypoint"] = None  # the engine stores ENTRYPOINT [] as no entrypoint
    assert ours == _engine_view(engine.config(text, target))


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_generated_stages_match_the_image_config(engine: _Engine, data: st.DataObject) -> None:
    text, target = data.draw(semantic_dockerfiles(engine.base))
    if _child_of_a_stage_with_arg(text):
        # BuildKit passes a stage's ARGs on to stages built FROM it (we follow BuildKit);
        # dockerd's classic builder here does not
        reject()
    spec = load_dockerfile_text(text, "/context/Dockerfile", target)
    ours = _ours(spec)
    if ours["Entrypoint"] == []:
        ours["Entrypoint"] = None
    if ours["Cmd"] == []:
        ours["Cmd"] = None
    assert ours == _engine_view(engine.config(text, target)), text


def _child_of_a_stage_with_arg(text: str) -> bool:
    with_arg: set[str] = set()
    stage = ""
    for line in text.splitlines():
        if line.startswith("FROM "):
            parent, stage = line.split()[1], line.split()[-1]
            if parent in with_arg:
                return True
        elif line.startswith("ARG ") and stage:
            with_arg.add(stage)
    return False

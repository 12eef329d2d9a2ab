"""The generator: container configurations over the dimensions PID 1 behaviour depends on.

A configuration is the files of a build context (a Dockerfile, maybe a compose file or a
Kubernetes manifest, an entrypoint script, an app) plus the dimension values it stands for.
The Dockerfile names its base image as ``{base}``: the flavour's local image (tests/truth/
images.py) is put there when the context is written.

Dimensions (a configuration has a value for those that apply to it):

- ``sh``: what /bin/sh is: dash, bash, busybox;
- ``form``: exec, shell, sh-c, sh-c-exec, bash-c (a program) or script (an entrypoint script);
- ``shebang``, ``jobs`` (0, 1, 2 background jobs), ``trap`` (none, exit, forward, ignore,
  on-exit: an EXIT trap only),
  ``ending`` (args, exec-args, program, exec-program, wait, tail, sleep-infinity,
  while-sleep): the script's;
- ``program``: py-handler, py-plain, spawner, sleep, tail, java;
- ``init``: none, initlint-init, tini, dumb-init, docker-init (compose ``init: true``, which is
  ``docker run --init``);
- ``stopsignal``: default, SIGINT;
- ``source``: dockerfile, compose, kubernetes (checked statically against the measured truth
  of its Dockerfile twin: there is no cluster here).
"""

from __future__ import annotations

import json
import os
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field

from tests.truth.programs import PYTHON_FILES


def case_tag(case_id: str) -> str:
    """The case's image tag, per test process: two runs on one engine never share (or remove)
    each other's images."""
    return f"initlint-truth/case-{case_id}:p{os.getpid()}"


SHELL_OF_FLAVOUR = {"dash": "dash", "bash": "bash", "busybox": "busybox", "java": "dash"}
PYTHON_FLAVOURS = frozenset({"dash", "bash", "java"})
INIT_ENTRYPOINTS: dict[str, tuple[str, ...]] = {
    "none": (),
    "initlint-init": ("python3", "-I", "-S", "/usr/local/bin/initlint-init", "--"),
    "tini": ("tini", "--"),
    "dumb-init": ("dumb-init", "--"),
}
PROGRAM_ARGV: dict[str, tuple[str, ...]] = {
    "py-handler": ("python3", "/app/handler.py"),
    "py-plain": ("python3", "/app/plain.py"),
    "spawner": ("python3", "/app/spawner.py"),
    "sleep": ("sleep", "infinity"),
    "tail": ("tail", "-f", "/dev/null"),
    "java": ("java", "-cp", "/opt/main", "Main"),
}
TRAPS = {
    "none": "",
    "exit": "trap 'exit 0' TERM INT\n",
    "forward": "trap 'kill -TERM $pids 2>/dev/null; wait; exit 0' TERM INT\n",
    "ignore": "trap '' TERM INT\n",
    "on-exit": "trap 'echo bye' EXIT\n",  # bash then catches SIGTERM to run it; dash does not
}
JOB = 'sleep 1000 &\npids="$pids $!"\n'


@dataclass(frozen=True)
class Case:
    id: str
    flavour: str  # dash | bash | busybox | java: the base image
    source: str  # dockerfile | compose | kubernetes
    dims: tuple[tuple[str, str], ...]
    dockerfile: str  # FROM {base}
    files: tuple[tuple[str, str], ...] = ()  # build context: (relative path, text)
    compose: str | None = None  # compose.yaml (service ``app``, image ``{image}``)
    kubernetes: str | None = None  # a Pod manifest (image ``{image}``)
    twin: str | None = None  # kubernetes: the Dockerfile case measured in its place
    determined: bool = True  # the files alone decide the answer (else ``unknown`` is right)
    note: str = ""

    @property
    def dimensions(self) -> dict[str, str]:
        return dict(self.dims)

    @property
    def tag(self) -> str:
        return case_tag(self.id)


@dataclass
class _Builder:
    flavour: str
    source: str = "dockerfile"
    dims: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def copy_program(self, program: str) -> None:
        if program in PYTHON_FILES:
            path, text = PYTHON_FILES[program]
            self.files[path] = text
            self.lines.append(f"COPY {path} /{path}")


def _exec_form(words: tuple[str, ...]) -> str:
    return json.dumps(list(words))


def _command_for(form: str, argv: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """The CMD line for ``form``, and the argv it gives (before any ENTRYPOINT)."""
    joined = shlex.join(argv)
    if form == "exec":
        return f"CMD {_exec_form(argv)}", argv
    if form == "shell":
        return f"CMD {joined}", ("/bin/sh", "-c", joined)
    words = {
        "sh-c": ("sh", "-c", joined),
        "sh-c-exec": ("sh", "-c", f"exec {joined}"),
        "bash-c": ("bash", "-c", joined),
    }[form]
    return f"CMD {_exec_form(words)}", words


def _identifier(*parts: str) -> str:
    return ".".join(p.replace("_", "-").lower() for p in parts if p)


# --- PID 1 programs in every form -------------------------------------------------------


def program_case(
    flavour: str, program: str, form: str, init: str, stopsignal: str = "default"
) -> Case:
    b = _Builder(flavour)
    b.copy_program(program)
    entry = INIT_ENTRYPOINTS[init]
    if entry:
        b.lines.append(f"ENTRYPOINT {_exec_form(entry)}")
    cmd, _ = _command_for(form, PROGRAM_ARGV[program])
    b.lines.append(cmd)
    if stopsignal != "default":
        b.lines.append(f"STOPSIGNAL {stopsignal}")
    dims = {
        "sh": SHELL_OF_FLAVOUR[flavour],
        "form": form,
        "program": program,
        "init": init,
        "stopsignal": stopsignal,
        "source": "dockerfile",
    }
    ident = _identifier(
        "prog", flavour, program, form, init, "" if stopsignal == "default" else stopsignal
    )
    return _finish(ident, b, dims)


def _finish(ident: str, b: _Builder, dims: dict[str, str], **extra: object) -> Case:
    dockerfile = "FROM {base}\n" + "".join(line + "\n" for line in b.lines)
    return Case(
        id=ident,
        flavour=b.flavour,
        source=str(dims.get("source", "dockerfile")),
        dims=tuple(sorted(dims.items())),
        dockerfile=dockerfile,
        files=tuple(sorted(b.files.items())),
        **extra,  # type: ignore[arg-type]
    )


# --- entrypoint scripts ---------------------------------------------------------------


def _app_program(flavour: str) -> str:
    """What a script's "program" is: a TERM-handling Python where there is Python."""
    return "py-handler" if flavour in PYTHON_FLAVOURS else "sleep"


def script_text(shebang: str, jobs: int, trap: str, ending: str, flavour: str) -> str:
    program = shlex.join(PROGRAM_ARGV[_app_program(flavour)])
    if program == "sleep infinity":
        program = "sleep 1000"  # not the sleep-infinity ending
    endings = {
        "args": '"$@"',
        "exec-args": 'exec "$@"',
        "program": program,
        "exec-program": f"exec {program}",
        "wait": "wait",
        "tail": "tail -f /dev/null",
        "sleep-infinity": "sleep infinity",
        "while-sleep": "while sleep 1; do :; done",
    }
    return f"#!{shebang}\n" + TRAPS[trap] + JOB * jobs + endings[ending] + "\n"


def script_case(
    flavour: str,
    shebang: str,
    jobs: int,
    trap: str,
    ending: str,
    init: str = "none",
    invocation: str = "exec",
) -> Case:
    b = _Builder(flavour)
    b.files["start.sh"] = script_text(shebang, jobs, trap, ending, flavour)
    b.lines.append("COPY start.sh /start.sh")
    program = _app_program(flavour)
    needs_program = ending in ("args", "exec-args", "program", "exec-program")
    if needs_program:
        b.copy_program(program)
    entry = INIT_ENTRYPOINTS[init]
    if invocation == "shell":
        b.lines.append("CMD /start.sh")
    elif ending in ("args", "exec-args"):
        b.lines.append(f"ENTRYPOINT {_exec_form((*entry, '/start.sh'))}")
        b.lines.append(f"CMD {_exec_form(PROGRAM_ARGV[program])}")
    elif entry:
        b.lines.append(f"ENTRYPOINT {_exec_form(entry)}")
        b.lines.append('CMD ["/start.sh"]')
    else:
        b.lines.append('CMD ["/start.sh"]')
    dims = {
        "sh": SHELL_OF_FLAVOUR[flavour],
        "form": "script" if invocation == "exec" else "shell",
        "shebang": shebang.rsplit("/", 1)[-1],
        "jobs": str(jobs),
        "trap": trap,
        "ending": ending,
        "init": init,
        "stopsignal": "default",
        "source": "dockerfile",
    }
    if needs_program:
        dims["program"] = program
    ident = _identifier(
        "script",
        flavour,
        dims["shebang"],
        f"jobs{jobs}",
        trap,
        ending,
        init,
        "viashell" if invocation == "shell" else "",
    )
    return _finish(ident, b, dims)


# --- compose services -----------------------------------------------------------------

COMPOSE_SERVICE = """services:
  app:
    build: .
    image: "{{image}}"
    network_mode: none
    stop_grace_period: 2s
    labels:
      initlint.test: "1"
      initlint.test.owner: "{{owner}}"
{extra}"""


def _yaml_list(words: tuple[str, ...]) -> str:
    return json.dumps(list(words))


def compose_case(
    flavour: str,
    program: str,
    form: str,
    init: bool,
    stopsignal: str = "default",
    script: tuple[int, str, str] | None = None,
) -> Case:
    """The runtime written in compose: the Dockerfile only copies files."""
    b = _Builder(flavour, source="compose")
    extra: list[str] = []
    argv = PROGRAM_ARGV[program]
    dims = {"sh": SHELL_OF_FLAVOUR[flavour], "source": "compose", "stopsignal": stopsignal}
    if script is not None:
        jobs, trap, ending = script
        b.files["start.sh"] = script_text("/bin/sh", jobs, trap, ending, flavour)
        b.lines.append("COPY start.sh /start.sh")
        extra.append('    entrypoint: ["/start.sh"]')
        dims |= {"form": "script", "jobs": str(jobs), "trap": trap, "ending": ending}
        dims["shebang"] = "sh"
        if ending in ("args", "exec-args"):
            b.copy_program(_app_program(flavour))
            extra.append(f"    command: {_yaml_list(PROGRAM_ARGV[_app_program(flavour)])}")
            dims["program"] = _app_program(flavour)
    else:
        b.copy_program(program)
        dims |= {"form": form, "program": program}
        joined = shlex.join(argv)
        if form == "exec":
            extra.append(f"    command: {_yaml_list(argv)}")
        elif form == "string":  # split like shell words, never run by a shell
            extra.append(f"    command: {joined}")
            dims["form"] = "exec"
        elif form == "sh-c":
            extra.append(f"    command: {_yaml_list(('sh', '-c', joined))}")
        elif form == "sh-c-exec":
            extra.append(f"    entrypoint: {_yaml_list(('sh', '-c', 'exec ' + joined))}")
        elif form == "bash-c":
            extra.append(f"    command: {_yaml_list(('bash', '-c', joined))}")
        else:
            raise ValueError(form)
    if init:
        extra.append("    init: true")
    if stopsignal != "default":
        extra.append(f"    stop_signal: {stopsignal}")
    dims["init"] = "docker-init" if init else "none"
    ident = _identifier(
        "compose",
        flavour,
        f"script-jobs{script[0]}-{script[1]}-{script[2]}" if script else program,
        "" if script else form,
        "init" if init else "",
        "" if stopsignal == "default" else stopsignal,
    )
    return _finish(ident, b, dims, compose=COMPOSE_SERVICE.format(extra="\n".join(extra) + "\n"))


# --- Kubernetes twins -------------------------------------------------------------------

POD = """apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: "{{image}}"
{fields}"""


def kubernetes_twin(twin: Case, command: tuple[str, ...], args: tuple[str, ...] = ()) -> Case:
    """A Pod running the twin's image with the twin's argv written as command/args."""
    fields = f"      command: {json.dumps(list(command))}\n"
    if args:
        fields += f"      args: {json.dumps(list(args))}\n"
    dims = dict(twin.dims) | {"source": "kubernetes"}
    return Case(
        id=_identifier("k8s", twin.id),
        flavour=twin.flavour,
        source="kubernetes",
        dims=tuple(sorted(dims.items())),
        dockerfile=twin.dockerfile,
        files=twin.files,
        kubernetes=POD.format(fields=fields),
        twin=twin.id,
        determined=_manifest_decides(dims),
    )


def _manifest_decides(dims: dict[str, str]) -> bool:
    """Whether a manifest alone decides the stop: no build context is read for Kubernetes, so
    a script's or a Python file's text is unknown, and so is which shell ``sh`` is."""
    return dims.get("program") in ("sleep", "tail", "java") and dims.get("form") in (
        "exec",
        "sh-c-exec",
        "bash-c",
    )


def _twin_argv(case: Case) -> tuple[str, ...]:
    """ENTRYPOINT + CMD of a generated exec-form Dockerfile, as one argv."""
    argv: list[str] = []
    for line in case.dockerfile.splitlines():
        keyword, _, rest = line.partition(" ")
        if keyword in ("ENTRYPOINT", "CMD"):
            argv.extend(json.loads(rest))
    return tuple(argv)


# --- the matrix ---------------------------------------------------------------------------

FORMS = ("exec", "shell", "sh-c", "sh-c-exec", "bash-c")
PY_PROGRAMS = ("py-handler", "py-plain", "spawner", "sleep", "tail")
TRAP_KINDS = ("none", "exit", "forward", "ignore")


def _programs(java: bool) -> Iterator[Case]:
    for program in PY_PROGRAMS:
        for form in FORMS:
            for init in ("none", "initlint-init", "tini", "dumb-init"):
                yield program_case("dash", program, form, init)
            if form in ("exec", "shell", "sh-c"):
                for init in ("none", "tini"):
                    yield program_case("dash", program, form, init, "SIGINT")
    for program in ("py-handler", "py-plain", "sleep"):
        for form in ("shell", "sh-c", "sh-c-exec"):
            yield program_case("bash", program, form, "none")
    for program in ("sleep", "tail"):
        for form in ("exec", "shell", "sh-c", "sh-c-exec"):
            for init in ("none", "tini", "dumb-init"):
                yield program_case("busybox", program, form, init)
    if java:
        for form in ("exec", "shell", "sh-c", "sh-c-exec"):
            for init in ("none", "tini"):
                yield program_case("java", "java", form, init)
        yield program_case("java", "java", "exec", "none", "SIGINT")


ENDINGS = (
    "args", "exec-args", "program", "exec-program", "wait", "tail", "sleep-infinity",
    "while-sleep",
)  # fmt: skip


def _scripts() -> Iterator[Case]:
    for trap in TRAP_KINDS:
        for jobs in (0, 1, 2):
            for ending in ENDINGS:
                if ending == "wait" and jobs == 0:
                    continue  # ends at once: nothing to stop
                if jobs == 2 and ending not in ("wait", "tail", "exec-program", "args"):
                    continue
                yield script_case("dash", "/bin/sh", jobs, trap, ending)
    for trap in ("none", "exit", "forward"):
        for jobs in (0, 2):
            for ending in ("program", "wait", "tail", "while-sleep", "exec-args"):
                if ending == "wait" and jobs == 0:
                    continue
                yield script_case("dash", "/bin/bash", jobs, trap, ending)
    for trap in TRAP_KINDS:
        for jobs in (0, 1):
            for ending in ("args", "exec-args", "program", "wait", "tail"):
                if ending == "wait" and jobs == 0:
                    continue
                yield script_case("bash", "/bin/sh", jobs, trap, ending)
    for trap in TRAP_KINDS:
        for jobs in (0, 1):
            for ending in ENDINGS:
                if ending == "wait" and jobs == 0:
                    continue
                yield script_case("busybox", "/bin/sh", jobs, trap, ending)
    for flavour, shebang in (("dash", "/bin/sh"), ("dash", "/bin/bash"), ("bash", "/bin/sh"),
                             ("busybox", "/bin/sh")):  # fmt: skip
        for jobs, ending in ((0, "program"), (0, "tail"), (1, "wait")):
            yield script_case(flavour, shebang, jobs, "on-exit", ending)
    for init in ("initlint-init", "tini", "dumb-init"):
        for jobs, trap, ending in ((0, "none", "args"), (0, "exit", "tail"), (1, "none", "tail"),
                                   (0, "ignore", "exec-args")):  # fmt: skip
            yield script_case("dash", "/bin/sh", jobs, trap, ending, init)
    for init in ("tini", "dumb-init"):
        yield script_case("busybox", "/bin/sh", 0, "exit", "tail", init)
        yield script_case("busybox", "/bin/sh", 1, "none", "exec-program", init)
    for trap, ending in (("none", "program"), ("exit", "wait"), ("none", "exec-program")):
        yield script_case("dash", "/bin/sh", 1, trap, ending, invocation="shell")


def _issue_rows() -> Iterator[Case]:
    """The configurations of the issue's table, as written there."""
    rows = (
        ("issue-row1", "#!/bin/sh\nsleep 1000 &\nsleep 1000 &\nwait\n", '["/start.sh"]'),
        ("issue-row2", "#!/bin/sh\nsleep 1000 &\nexec sleep 1000\n", '["/start.sh"]'),
        (
            "issue-row3",
            "#!/bin/bash\ntrap 'kill -TERM $(jobs -p); exit 0' TERM\nsleep 1000 &\n"
            "tail -f /dev/null\n",
            '["/start.sh"]',
        ),
        (
            "issue-row4",
            "#!/bin/bash\ntrap 'kill -TERM $(jobs -p)' TERM INT\nsleep 1000 &\nsleep 1000 &\n"
            "wait\n",
            '["/start.sh"]',
        ),
    )
    for ident, text, cmd in rows:
        b = _Builder("dash")
        b.files["start.sh"] = text
        b.lines += ["COPY start.sh /start.sh", f"CMD {cmd}"]
        dims = {"sh": "dash", "form": "script", "source": "dockerfile", "init": "none"}
        yield _finish(ident, b, dims)
    # the fifth row, CMD ["sleep", "infinity"], is prog.dash.sleep.exec.none


def _compose() -> Iterator[Case]:
    for program in ("py-plain", "spawner", "sleep"):
        for form in ("exec", "string"):
            yield compose_case("dash", program, form, init=True)
    yield compose_case("busybox", "sleep", "exec", init=True)
    for program in ("py-handler", "py-plain", "sleep"):
        for form in ("exec", "sh-c", "sh-c-exec", "bash-c"):
            yield compose_case("dash", program, form, init=False)
    for program in ("py-plain", "sleep"):
        yield compose_case("dash", program, "exec", init=False, stopsignal="SIGINT")
    scripts = (
        ((0, "exit", "tail"), True),
        ((0, "none", "args"), True),
        ((1, "none", "wait"), False),
        ((0, "none", "exec-args"), False),
    )
    for script, init in scripts:
        yield compose_case("dash", "sleep", "script", init=init, script=script)


def _kubernetes(dockerfile_cases: list[Case]) -> Iterator[Case]:
    for case in dockerfile_cases:
        d = case.dimensions
        if d.get("stopsignal", "default") != "default" or d.get("form") == "shell":
            continue
        if case.id.startswith("issue-"):
            continue
        if d.get("form") == "script":
            plain = case.flavour == "dash" and d.get("init") == "none" and d.get("jobs") == "1"
            if plain and d.get("ending") in ("tail", "wait") and d.get("shebang") == "sh":
                yield kubernetes_twin(case, _twin_argv(case))
            continue
        if case.flavour in ("dash", "busybox") and d.get("init") in ("none", "tini"):
            argv = _twin_argv(case)
            entry = INIT_ENTRYPOINTS[d["init"]]
            if entry:
                yield kubernetes_twin(case, entry, argv[len(entry) :])
            else:
                yield kubernetes_twin(case, argv)
    # the real file behind the fixer bug: `sh -c --` in command, the program in args
    sleeper = program_case("dash", "sleep", "exec", "none")
    yield Case(
        id="k8s.sh-c-dashdash-args",
        flavour="dash",
        source="kubernetes",
        dims=(("form", "sh-c"), ("program", "sleep"), ("sh", "dash"), ("source", "kubernetes")),
        dockerfile=sleeper.dockerfile,
        kubernetes=POD.format(
            fields='      command: ["/bin/sh", "-c", "--"]\n      args: ["sleep infinity"]\n'
        ),
        twin="prog.dash.sleep.sh-c.none",
        determined=False,
    )


def all_cases(java: bool = True) -> list[Case]:
    dockerfile = [*_programs(java), *_scripts(), *_issue_rows()]
    cases = dockerfile + list(_compose()) + list(_kubernetes(dockerfile))
    ids = [case.id for case in cases]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, f"duplicate case ids: {sorted(duplicates)}"
    return cases

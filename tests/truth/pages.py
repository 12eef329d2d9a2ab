"""The rule pages' runtime examples, built and stopped for real.

Each bad/good Dockerfile example that runs something (a CMD or an ENTRYPOINT) is followed on
its page by a line ``Measured: ...`` that says what ``docker stop -t 2`` did to it:
``stops at once`` (graceful) or ``waits the whole grace period`` (SIGKILL at its end). This
module builds each such example here, without a registry, and measures it.

What the build changes, and why:

- ``FROM`` names a local base image with the same ``/bin/sh``: Alpine images become the
  busybox one (ash), Fedora the Debian one with bash as ``/bin/sh``, everything else (Debian,
  Ubuntu, python, node, nginx images are Debian-based) the Debian one (dash).
- ``RUN`` lines are dropped: they install packages, and there is no network.
- Programs the page names but the image lacks are stand-ins, two-line shell scripts that do
  what the program's documentation says it does with the stop signal (STANDINS, with the
  source). The page's own files (its ``file=`` blocks) are used as they are; a Python file the
  command names but the page does not give is a program with no signal handler.

So what is measured is the layers the rules are about (shells, scripts, inits, exec), around
programs whose own signal handling is taken from their documentation.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import docker
import docker.errors

from tests.support.build_context import write_files
from tests.test_rule_pages import EXAMPLES, RULES_DIR, Example
from tests.truth.measure import Truth

MEASURED = re.compile(r"^Measured: (.+)$")
CLAIMS = {
    "stops at once": "graceful",
    "waits the whole grace period": "grace-period",
    "exits at once": "exited",  # PID 1 ends before docker stop: nothing to stop
    "fails to build": "build-error",
}

# A stand-in that stops on the signal (a trap the shell runs between two 0.2 s sleeps) and one
# that has no handler (it becomes ``sleep``: as PID 1 it ignores every signal).
HANDLES = "#!/bin/sh\ntrap 'exit 0' TERM INT QUIT WINCH\nwhile :; do sleep 0.2; done\n"
NO_HANDLER = "#!/bin/sh\nexec sleep 2147483647\n"
# program -> (stand-in, why): what its documentation says it does with SIGTERM
STANDINS: dict[str, tuple[str, str]] = {
    "nginx": (HANDLES, "nginx docs, 'Controlling nginx': TERM is fast shutdown, QUIT graceful"),
    "php-fpm": (HANDLES, "php-fpm(8): SIGTERM/SIGINT immediate termination, SIGQUIT graceful"),
    "php-fpm82": (HANDLES, "php-fpm(8), as php-fpm"),
    "gunicorn": (HANDLES, "gunicorn docs, 'Signal Handling': TERM is graceful shutdown"),
    "celery": (HANDLES, "celery docs, 'Stopping the worker': TERM is warm shutdown"),
    "supervisord": (HANDLES, "supervisord docs: SIGTERM shuts supervisord and its children down"),
    "node": (NO_HANDLER, "Node.js docs, 'Signal events': no default SIGTERM handler as PID 1"),
    "npm": (NO_HANDLER, "npm runs the script as a child and installs no SIGTERM handler"),
    "yarn": (NO_HANDLER, "as npm"),
    "poetry": (NO_HANDLER, "poetry run starts the program as a child, no forwarding"),
    "uv": (NO_HANDLER, "uv run starts the program as a child"),
    "wait-for-it": ("#!/bin/sh\nexit 0\n", "a readiness check that returns at once here"),
    # the pages' placeholders for the app: an app that stops on SIGTERM, as the pages assume
    "server": (HANDLES, "a placeholder for an app that stops on SIGTERM"),
    "worker": (HANDLES, "a placeholder for an app that stops on SIGTERM"),
    "app": (HANDLES, "a placeholder for an app that stops on SIGTERM"),
    "run": (HANDLES, "a placeholder for an app that stops on SIGTERM"),
    "init": (HANDLES, "a placeholder for an app's own init that stops on SIGTERM"),
    "serve": (HANDLES, "a placeholder for an app that stops on SIGTERM"),
    "entrypoint.sh": ('#!/bin/sh\nexec "$@"\n', "a placeholder entrypoint script that execs"),
    "/sbin/init": (
        "#!/bin/bash\ntrap 'exit 0' SIGRTMIN+3\nwhile :; do sleep 0.2; done\n",
        "systemd(1): SIGRTMIN+3 halts it (the page sets it as STOPSIGNAL); SIGTERM does not",
    ),
}
# A Python file the command names but the page does not give: an app that stops on SIGTERM.
APP_PYTHON = (
    "import signal\nimport sys\nimport time\n\n"
    "signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))\n"
    "while True:\n    time.sleep(1)\n"
)


@dataclass(frozen=True)
class MeasuredExample:
    example: Example
    claim: str  # the page's words after "Measured: "

    @property
    def expected(self) -> str | None:
        for words, verdict in CLAIMS.items():
            if self.claim.startswith(words):
                return verdict
        return None


def runs_something(example: Example) -> bool:
    return example.verdict in ("bad", "good") and any(
        line.split(" ", 1)[0] in ("CMD", "ENTRYPOINT") for line in example.text.splitlines()
    )


def claims() -> list[MeasuredExample]:
    """Every bad/good example that runs something, with its page's Measured line (or "")."""
    found: list[MeasuredExample] = []
    for example in EXAMPLES:
        if not runs_something(example):
            continue
        lines = (RULES_DIR / example.page).read_text(encoding="utf-8").splitlines()
        i = example.line  # the fence's line (1-based) -> index of the line after it
        while i < len(lines) and lines[i].strip() != "```":
            i += 1
        claim = ""
        for line in lines[i + 1 :]:
            if line.startswith("```") or line.startswith("#"):
                break
            match = MEASURED.match(line)
            if match:
                claim = match.group(1)
                break
        found.append(MeasuredExample(example, claim))
    return found


def flavour_of(image: str) -> str:
    name = image.split("/")[-1]
    if name.startswith("alpine") or (name.endswith("-alpine") and not name.startswith("python")):
        return "busybox"
    if name.startswith("fedora"):
        return "bash"
    return "dash"


def write_buildable(example: Example, folder: Path, bases: dict[str, str]) -> str:
    """The example's build context as this machine can build it; returns the flavour."""
    write_files(folder, example.files)
    lines: list[str] = []
    stages: set[str] = set()
    flavour = "dash"
    workdir = "/"
    commands: list[str] = []
    for line in _logical_lines(example.text):
        keyword, _, rest = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "RUN":
            continue
        if keyword == "FROM":
            words = rest.split()
            image = words[0]
            if image in stages:
                lines.append(line)
            else:
                flavour = flavour_of(image)
                lines.append(" ".join(["FROM", bases[flavour], *words[1:]]))
            if len(words) == 3 and words[1].upper() == "AS":
                stages.add(words[2])
            continue
        if keyword == "WORKDIR":
            workdir = posixpath.join(workdir, rest.strip())
        if keyword in ("CMD", "ENTRYPOINT"):
            commands.append(rest)
        lines.append(line)
    extra = _standins(folder, commands, workdir, example, flavour)
    # stand-ins go in right after the last FROM: the final stage is the one that runs
    last_from = max(i for i, line in enumerate(lines) if line.startswith("FROM"))
    lines[last_from + 1 : last_from + 1] = extra
    (folder / "Dockerfile").write_text("\n".join(lines) + "\n")
    return flavour


def _logical_lines(text: str) -> list[str]:
    joined = text.replace("\\\n", " ")
    return [line for line in joined.splitlines() if line.strip() and not line.startswith("#")]


def _words(rest: str) -> list[str]:
    rest = rest.strip()
    if rest.startswith("["):
        try:
            import json

            return [str(word) for word in json.loads(rest.rstrip(",]") + "]")]
        except ValueError:
            pass
    try:
        return shlex.split(rest)
    except ValueError:
        return rest.split()


def _standins(
    folder: Path, commands: list[str], workdir: str, example: Example, flavour: str
) -> list[str]:
    given = {name for name, _ in example.files}
    lines: list[str] = []
    words: list[str] = []
    for rest in commands:
        for word in _words(rest):  # an `sh -c` string's words too
            words.extend(_words(word.replace("&", " ").replace(";", " ").replace("|", " ")))
    scripts = [text for _, text in example.files if text.startswith("#!")]
    for text in scripts:
        for script_line in text.splitlines():
            words.extend(script_line.replace("&", " ").replace(";", " ").split())
    # COPY sources the page does not give: its placeholders
    for line in _logical_lines(example.text):
        parts = line.split()
        if parts[0].upper() in ("COPY", "ADD") and len(parts) >= 3 and not parts[1].startswith("-"):
            for source in parts[1:-1]:
                if source not in (".", "./") and not (folder / source).exists():
                    name = posixpath.basename(source)
                    standin = STANDINS.get(name, (HANDLES, ""))[0]
                    if name.endswith(".py"):
                        standin = APP_PYTHON
                    (folder / source).parent.mkdir(parents=True, exist_ok=True)
                    (folder / source).write_text(standin)
                    (folder / source).chmod(0o755)
    (folder / "standins").mkdir(exist_ok=True)
    installed: set[str] = set()
    cwd = workdir
    for before, word in zip(["", *words], words):
        if before == "cd":  # `sh -c 'cd /app && python3 app.py'`: a folder, not a program
            cwd = word
            continue
        name = word if word in STANDINS else posixpath.basename(word)
        if name in STANDINS and name not in installed:
            installed.add(name)
            text, _ = STANDINS[name]
            name = posixpath.basename(name)
            (folder / "standins" / name).write_text(text)
            (folder / "standins" / name).chmod(0o755)
            target = word if word.startswith("/") else f"/usr/local/bin/{name}"
            lines.append(f"COPY standins/{name} {target}")
        copied = any(
            word in line for line in _logical_lines(example.text) if line.startswith("COPY")
        )
        if word.endswith(".py") and not copied and posixpath.basename(word) not in given:
            path = word if word.startswith("/") else posixpath.join(cwd, word)
            stub = folder / "standins" / posixpath.basename(word)
            stub.write_text(APP_PYTHON)
            lines.append(f"COPY standins/{stub.name} {path}")
    if flavour != "busybox":
        lines.append("RUN ln -sf python3 /usr/bin/python")
    return lines


def measure_examples(
    client: docker.DockerClient, examples: list[MeasuredExample], workdir: Path, jobs: int = 3
) -> list[tuple[MeasuredExample, Truth]]:
    """Build and measure each example; (example, Truth) in order."""
    from concurrent.futures import ThreadPoolExecutor

    from tests.support.docker_env import build_image
    from tests.truth.images import ensure_truth_base
    from tests.truth.measure import measure_image

    bases = {flavour: ensure_truth_base(client, flavour) for flavour in ("dash", "bash", "busybox")}

    def one(index: int) -> Truth:
        measured = examples[index]
        folder = workdir / f"example-{index}"
        write_buildable(measured.example, folder, bases)
        page = measured.example.page.lower()
        tag = f"initlint-truth/page-{page}-{measured.example.line}:p{os.getpid()}"
        try:
            build_image(client, folder, tag)
        except Exception as error:
            # the shared engine: a cached layer of an image just removed; build once more
            if "Invalid signal" in str(error):
                return Truth(error=f"build failed: {error}"[:2000])
            try:
                build_image(client, folder, tag)
            except Exception as again:
                return Truth(error=f"build failed: {again}"[:2000])
        try:
            return measure_image(client, tag)
        finally:
            with contextlib.suppress(docker.errors.APIError):
                client.images.remove(tag, force=True)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        truths = list(pool.map(one, range(len(examples))))
    return list(zip(examples, truths))


if __name__ == "__main__":
    # `python -m tests.truth.pages`: measure every runtime example and print what it did
    import sys
    import tempfile

    from tests.support.docker_env import connect_docker

    chosen = [c for c in claims() if not sys.argv[1:] or c.example.page in sys.argv[1:]]
    with tempfile.TemporaryDirectory() as work:
        for measured, truth in measure_examples(connect_docker(), chosen, Path(work)):
            print(
                f"{measured.example.id}: {truth.stop} ({truth.stop_seconds}, exit "
                f"{truth.exit_code}) page says: {measured.claim or '-'} {truth.error or ''}"
            )

"""Putting an init in front of PID 1 in a Dockerfile (strategies: README, "Init strategies").

Strategies: ``python`` vendors initlint's own init into the build context and runs it with
the image's python3; ``tini`` installs tini with the base image's package manager. ``auto``
picks python when the image has python3, tini for distros whose package manager is known,
and nothing (no fix) otherwise.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING

from initlint.fixes.plan import FileWrite, FixPlan, NoFix
from initlint.fixes.vendoring import VENDORED_NAME, vendored_init, vendored_version
from initlint.model import Command, CommandForm, Edit, InjectInit
from initlint.sources.buildkit_words import ShellWordError, process_words

if TYPE_CHECKING:
    from initlint.fixes.dockerfile_edits import DockerfileEdits

PYTHON_INIT_PREFIX = ("python3", "-I", "-S", f"/usr/local/bin/{VENDORED_NAME}", "--")
# The init runs from bytecode that the image build compiles (with the image's own python3),
# not from source: a script run by path is compiled at every start, which costs ~2 MiB of
# the init's idle memory and 5-10 ms before it can block signals. The source stays beside it.
PYTHON_INIT_SOURCE = f"/usr/local/lib/{VENDORED_NAME}.py"
PYTHON_INIT_SETUP = (
    f"COPY {VENDORED_NAME} {PYTHON_INIT_SOURCE}",
    'RUN ["python3", "-I", "-S", "-c", "import py_compile; py_compile.compile('
    f"'{PYTHON_INIT_SOURCE}', '/usr/local/bin/{VENDORED_NAME}', doraise=True)\"]",
)
TINI_PREFIX = ("tini", "--")
TINI_INSTALL = {
    "apt": "RUN apt-get update && apt-get install -y --no-install-recommends tini"
    " && rm -rf /var/lib/apt/lists/*",
    "apk": "RUN apk add --no-cache tini",
    "dnf": "RUN dnf install -y tini && dnf clean all",
}
STRATEGIES = ("auto", "python", "tini", "compose", "none")
_INSTALL_WORDS = frozenset({"install", "add"})


def choose_strategy(fixer: DockerfileEdits) -> str | None:
    """The strategy to use, or None when no safe one exists for this base image."""
    wanted = fixer.strategy
    facts = fixer.stage.base_facts
    if wanted in ("python", "tini"):
        return wanted
    if wanted != "auto":
        return None
    if facts.has_python3 or _installs_python3(fixer):
        return "python"
    if facts.package_manager in TINI_INSTALL:
        return "tini"
    return None


def _installs_python3(fixer: DockerfileEdits) -> bool:
    for stage in fixer.model.chain(fixer.stage):
        for run in stage.runs:
            try:
                words = process_words(run.value)
            except ShellWordError:
                continue
            if _INSTALL_WORDS & set(words) and any(w.startswith("python3") for w in words):
                return True
    return False


def plan_init_injection(fixer: DockerfileEdits, intent: InjectInit) -> FixPlan | NoFix:
    stage = fixer.stage
    strategy = choose_strategy(fixer)
    if strategy is None:
        base = stage.external_base or "scratch"
        return NoFix(f"no safe init strategy for base image {base!r} (see --init-strategy)")
    if _has_init(stage.entrypoint) or _has_init(stage.cmd):
        return NoFix("an init is already in front of the program")
    entrypoint, cmd = stage.entrypoint, stage.cmd
    if entrypoint is not None and entrypoint.form is CommandForm.SHELL:
        return NoFix("ENTRYPOINT is in shell form: convert it to exec form first (IL101)")
    if entrypoint is None and cmd is None:
        return NoFix("no ENTRYPOINT or CMD in this Dockerfile to put the init in front of")
    facts = stage.base_facts
    if entrypoint is None and stage.parent is None and facts.entrypoint is None:
        return NoFix(f"the ENTRYPOINT of base image {stage.external_base!r} is not known")

    prefix = PYTHON_INIT_PREFIX if strategy == "python" else TINI_PREFIX
    base_entrypoint = entrypoint.argv if entrypoint is not None else facts.entrypoint or ()
    new_entrypoint = fixer_json((*prefix, *base_entrypoint))
    if strategy == "python":
        setup = _setup_lines(PYTHON_INIT_SETUP, fixer)
    else:
        tini_install = _tini_install(fixer)
        if tini_install is None:
            return NoFix("no known package manager to install tini with")
        setup = _setup_lines((tini_install,), fixer)

    edits: list[Edit] = []
    if fixer.owns(entrypoint) and entrypoint is not None:
        anchor = fixer.instruction_at(entrypoint.span)
        assert anchor is not None
        edits.append(Edit(anchor.args_span(), new_entrypoint))
        edits.extend(fixer.insert_line_before(anchor, line) for line in setup)
    else:
        new_lines = [*setup, f"ENTRYPOINT {new_entrypoint}"]
        if cmd is not None and cmd.inherited_from is not None:
            new_lines.append(f"CMD {_written(cmd)}")  # a new ENTRYPOINT would reset it
        anchor_command = cmd if fixer.owns(cmd) else None
        anchor = fixer.instruction_at(anchor_command.span) if anchor_command else None
        if anchor is not None:
            edits.extend(fixer.insert_line_before(anchor, line) for line in new_lines)
        else:
            last = fixer.last_instruction(stage)
            edits.append(fixer.insert_line_after(last, fixer.source.newline.join(new_lines)))

    writes = _vendor_writes(fixer) if strategy == "python" else []
    if isinstance(writes, NoFix):
        return writes
    return FixPlan(tuple(edits), tuple(writes), note=f"init strategy: {strategy}")


def fixer_json(words: tuple[str, ...]) -> str:
    from initlint.fixes.dockerfile_edits import exec_form_json

    return exec_form_json(words)


def _has_init(command: Command | None) -> bool:
    from initlint.pid1.argv import find_init

    return command is not None and find_init(command.argv) is not None


def _written(command: Command) -> str:
    if command.form is CommandForm.EXEC:
        return fixer_json(command.argv)
    return command.script.value if command.script else ""


def _tini_install(fixer: DockerfileEdits) -> str | None:
    manager = fixer.stage.base_facts.package_manager
    return TINI_INSTALL.get(manager or "")


def _setup_lines(lines: tuple[str, ...], fixer: DockerfileEdits) -> list[str]:
    """The setup lines, run as root when they RUN something under another USER (installing
    a package, writing to /usr/local/bin)."""
    user = fixer.stage.user
    if any(line.startswith("RUN") for line in lines) and user not in (None, "", "root", "0"):
        return ["USER root", *lines, f"USER {user}"]
    return list(lines)


def _vendor_writes(fixer: DockerfileEdits) -> list[FileWrite] | NoFix:
    from initlint.fixes.text_files import read_for_fix

    context = Path(fixer.model.syntax.path).parent
    target = context / VENDORED_NAME
    writes: list[FileWrite] = []
    content = vendored_init()
    existing = read_for_fix(str(target), errors="replace")
    if isinstance(existing, NoFix):
        return existing
    if existing is not None:
        if vendored_version(existing) is None:
            return NoFix(f"{target} exists and is not initlint's init")
        if existing != content:
            writes.append(FileWrite(str(target), content, 0o755))
    else:
        writes.append(FileWrite(str(target), content, 0o755))
    ignore_file = context / ".dockerignore"
    # Docker reads .dockerignore as bytes: bytes that are not UTF-8 are kept as they are
    text = read_for_fix(str(ignore_file), errors="surrogateescape")
    if isinstance(text, NoFix):
        return text
    if text is not None and dockerignore_excludes(text, VENDORED_NAME):
        newline = "\r\n" if "\r\n" in text else "\n"  # the file's own line endings
        separator = "" if text.endswith(("\n", "\r")) or not text else newline
        writes.append(FileWrite(str(ignore_file), f"{text}{separator}!{VENDORED_NAME}{newline}"))
    return writes


def dockerignore_excludes(text: str, name: str) -> bool:
    """Whether a .dockerignore keeps ``name`` (a file at the context root) out of the build.

    The last matching pattern decides; ``!`` patterns re-include.
    """
    excluded = False
    for raw in text.splitlines():
        pattern = raw.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip().lstrip("/")
        if pattern.startswith("./"):
            pattern = pattern[2:]
        if pattern in ("**", "**/*") or fnmatch.fnmatchcase(name, pattern.removeprefix("**/")):
            excluded = not negate
    return excluded

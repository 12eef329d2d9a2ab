"""The project script behind a package runner as PID 1 (IL104).

``npm start`` runs package.json's ``scripts.start``; ``uv run prog`` starts ``prog`` unless
pyproject.toml names a console script ``prog``. The manifest is read where the runner looks
first: the WORKDIR. One that comes from elsewhere (another stage, a RUN step) is not read, and
the script is then unknown.
"""

from __future__ import annotations

import json
import posixpath
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from initlint.evidence.context import BuildContext, Opaque
from initlint.knowledge.programs import program_name
from initlint.model import AppEvidence, PackageScript, PackageScriptKind, RuntimeSpec

NODE_RUNNERS = frozenset({"npm", "yarn", "pnpm"})
PYTHON_RUNNERS = frozenset({"poetry", "uv", "pipenv"})
# npm/pnpm sub-commands that run the script of the same name
_SHORTHAND = frozenset({"start", "test"})
_RUN = frozenset({"run", "run-script"})


class ScriptRequest(NamedTuple):
    """What a runner's words ask for: run script (or program) ``name`` with ``args``."""

    runner: str
    name: str
    args: tuple[str, ...]


def script_request(words: Sequence[str]) -> ScriptRequest | str | None:
    """The script ``words`` run; a reason string when they run one in a way initlint does not
    follow (options of the runner, arguments npm would read as its own); None: no runner."""
    if not words:
        return None
    runner = program_name(words[0])
    rest = tuple(words[1:])
    if runner in ("npm", "pnpm"):
        return _npm_request(runner, rest)
    if runner == "yarn":
        return _yarn_request(rest)
    if runner in PYTHON_RUNNERS:
        if len(rest) >= 2 and rest[0] == "run" and not rest[1].startswith("-"):
            return ScriptRequest(runner, rest[1], rest[2:])
        return f"{runner} is run with options or a sub-command initlint does not follow"
    return None


def _npm_request(runner: str, rest: tuple[str, ...]) -> ScriptRequest | str:
    if rest[:1] and rest[0] in _SHORTHAND:
        name, tail = rest[0], rest[1:]
    elif len(rest) >= 2 and rest[0] in _RUN and not rest[1].startswith("-"):
        name, tail = rest[1], rest[2:]
    else:
        return f"{runner} is run with options or a sub-command initlint does not follow"
    if not tail:
        return ScriptRequest(runner, name, ())
    if runner == "npm" and tail[0] == "--":
        return ScriptRequest(runner, name, tail[1:])  # npm appends what follows -- to the script
    return f"{runner} {name} has arguments that {runner} may read as its own options"


def _yarn_request(rest: tuple[str, ...]) -> ScriptRequest | str:
    if len(rest) >= 2 and rest[0] == "run" and not rest[1].startswith("-"):
        name, tail = rest[1], rest[2:]
    elif rest and not rest[0].startswith("-"):
        name, tail = rest[0], rest[1:]
    else:
        return "yarn is run with options initlint does not follow"
    if tail:
        return f"yarn {name} has arguments"
    return ScriptRequest("yarn", name, ())


def read_package_script(
    context: BuildContext, workdir: str, words: Sequence[str]
) -> PackageScript | None:
    """The script the runner in ``words`` runs, from the manifest in ``workdir``; None when
    ``words`` do not start with a runner of project scripts."""
    request = script_request(words)
    if request is None:
        return None
    invocation = tuple(words)
    if isinstance(request, str):
        runner = program_name(words[0])
        return PackageScript(invocation, runner, "", "unknown", unknown=request)
    if request.runner in NODE_RUNNERS:
        return _node_script(context, workdir, invocation, request)
    return _python_script(context, workdir, invocation, request)


# --- package.json -------------------------------------------------------------------------


def _node_script(
    context: BuildContext, workdir: str, invocation: tuple[str, ...], request: ScriptRequest
) -> PackageScript:
    base = PackageScript(invocation, request.runner, request.name, "unknown", args=request.args)
    found = _manifest(context, workdir, "package.json")
    if isinstance(found, str):
        return base._replace(unknown=found)
    disk, text = found
    shown = context.display(disk)
    base = base._replace(manifest=shown, manifest_path=str(disk))
    try:
        data = json.loads(text)
    except ValueError:
        return base._replace(unknown=f"{shown} is not valid JSON")
    scripts = data.get("scripts") if isinstance(data, dict) else None
    if not isinstance(scripts, dict):
        scripts = {}
    name = request.name
    hooks = tuple(hook for hook in (f"pre{name}", f"post{name}") if hook in scripts)
    base = base._replace(hooks=hooks)
    script = scripts.get(name)
    if isinstance(script, str):
        line = _json_key_line(text, name)
        return base._replace(kind="script", text=script, line=line)
    if name == "start" and "start" not in scripts and request.runner in ("npm", "pnpm"):
        # npm and pnpm run `node server.js` when there is no start script and the file exists
        server = context.image_to_context(posixpath.join(workdir, "server.js"))
        if isinstance(server, Path):
            return base._replace(kind="default", text="node server.js")
    return base._replace(unknown=f"{shown} has no {name!r} script")


def _json_key_line(text: str, name: str) -> int | None:
    """The line of ``"name":`` inside ``"scripts"`` (best effort, for messages)."""
    scripts = re.search(r'"scripts"\s*:\s*\{', text)
    if scripts is None:
        return None
    key = re.compile(re.escape(json.dumps(name)) + r"\s*:")
    found = key.search(text, scripts.end())
    return None if found is None else text.count("\n", 0, found.start()) + 1


# --- pyproject.toml and Pipfile -----------------------------------------------------------


def _python_script(
    context: BuildContext, workdir: str, invocation: tuple[str, ...], request: ScriptRequest
) -> PackageScript:
    base = PackageScript(invocation, request.runner, request.name, "program", args=request.args)
    if request.runner == "pipenv" and isinstance(context.image_to_context(
        posixpath.join(workdir, ".env")
    ), (Path, Opaque)):  # fmt: skip
        return base._replace(
            kind="unknown", unknown="pipenv run loads the .env file next to the Pipfile"
        )
    if request.runner == "uv" and request.name.endswith((".py", ".pyw")):
        return base._replace(
            kind="unknown", unknown="uv run runs a .py file with the project's Python"
        )
    manifest_name = "Pipfile" if request.runner == "pipenv" else "pyproject.toml"
    found = _manifest(context, workdir, manifest_name)
    if isinstance(found, str):
        return base  # the program is started by name either way
    disk, text = found
    shown = context.display(disk)
    base = base._replace(manifest=shown, manifest_path=str(disk))
    document = _toml(text)
    if document is None:
        return base._replace(kind="unknown", unknown=f"{shown} is not valid TOML")
    for kind, keys in _script_tables(request.runner):
        target = _table(document, *keys).get(request.name)
        if target is not None:
            text_value = target if isinstance(target, str) else json.dumps(target)
            line = _toml_key_line(text, ".".join(keys), request.name)
            return base._replace(kind=kind, text=text_value, line=line)
    return base


def _script_tables(runner: str) -> list[tuple[PackageScriptKind, tuple[str, ...]]]:
    """Where the runner's named scripts are: (kind, the keys of their table)."""
    if runner == "pipenv":
        return [("pipfile-script", ("scripts",))]
    tables: list[tuple[PackageScriptKind, tuple[str, ...]]] = [
        ("entry-point", ("project", "scripts"))
    ]
    if runner == "poetry":
        tables.append(("entry-point", ("tool", "poetry", "scripts")))
    return tables


def _table(document: Mapping[str, Any], *keys: str) -> Mapping[str, Any]:
    value: Any = document
    for key in keys:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value if isinstance(value, Mapping) else {}


def _toml(text: str) -> dict[str, Any] | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python < 3.11 only
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def _toml_key_line(text: str, table: str, name: str) -> int | None:
    """The line of ``name =`` in ``[table]`` (best effort, for messages: a table written
    inline or with quoted parts gives None)."""
    header = re.compile(r"^\s*\[\s*" + re.escape(table) + r"\s*\]", re.MULTILINE).search(text)
    if header is None:
        return None
    names = re.escape(name) + "|" + re.escape(json.dumps(name))
    key = re.compile(r"^\s*(?:" + names + r")\s*=", re.MULTILINE)
    found = key.search(text, header.end())
    next_table = re.compile(r"^\s*\[", re.MULTILINE).search(text, header.end())
    if found is None or (next_table is not None and next_table.start() < found.start()):
        return None
    return text.count("\n", 0, found.start()) + 1


# --- shared -------------------------------------------------------------------------------


def _manifest(context: BuildContext, workdir: str, name: str) -> tuple[Path, str] | str:
    """The manifest in ``workdir`` on disk and its text, or why it cannot be read."""
    image_path = posixpath.join(workdir, name)
    found = context.image_to_context(image_path)
    if isinstance(found, Opaque):
        return f"{image_path}: {found.why}"
    if found is None:
        return f"no {image_path} is copied from the build context"
    text = context.read_text(found)
    if text is None:
        return f"{context.display(found)} cannot be read"
    return found, text


def with_package_script(
    evidence: AppEvidence, spec: RuntimeSpec, context: BuildContext, workdir: str
) -> AppEvidence:
    """``evidence`` with the script a package runner as PID 1's program runs, if there is one."""
    from initlint.model import LaunchKind
    from initlint.pid1.startup import startup_of

    pid1 = startup_of(spec)
    if pid1 is None or pid1.launch.kind is LaunchKind.NO_SHELL:
        return evidence
    script = read_package_script(context, workdir, pid1.launch.program)
    if script is None:
        return evidence
    return evidence._replace(package_script=script)

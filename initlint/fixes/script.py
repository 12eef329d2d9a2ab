"""Entrypoint-script fixes: ``exec`` before the last command (IL301), ``wait`` (IL302).

The script is another file than the Dockerfile, so the plan carries the whole new script as a
FileWrite; only the inserted characters differ, so line endings, encoding and the rest of the
file stay as they were, and the file keeps its mode (it must stay executable).
"""

from __future__ import annotations

from pathlib import Path

from initlint.fixes.plan import FileWrite, FixPlan, NoFix
from initlint.model import ScriptAppendWait, ScriptInsertExec


def _read(path: str) -> str | NoFix:
    from initlint.fixes.text_files import read_for_fix

    text = read_for_fix(path)
    return NoFix(f"{path} does not exist") if text is None else text


def _mode(path: str) -> int:
    return Path(path).stat().st_mode & 0o7777


def plan_insert_exec(intent: ScriptInsertExec) -> FixPlan | NoFix:
    text = _read(intent.path)
    if isinstance(text, NoFix):
        return text
    if text[intent.offset : intent.offset + 5] == "exec ":
        return NoFix("the command is already exec'd")
    fixed = text[: intent.offset] + "exec " + text[intent.offset :]
    return FixPlan((), (FileWrite(intent.path, fixed, _mode(intent.path)),), note=intent.path)


def plan_add_wait(intent: ScriptAppendWait) -> FixPlan | NoFix:
    text = _read(intent.path)
    if isinstance(text, NoFix):
        return text
    if intent.end is not None:
        fixed = text[: intent.offset] + "wait" + text[intent.end :]
    else:
        fixed = text[: intent.offset] + intent.newline + "wait" + text[intent.offset :]
    return FixPlan((), (FileWrite(intent.path, fixed, _mode(intent.path)),), note=intent.path)

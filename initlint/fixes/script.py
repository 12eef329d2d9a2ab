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


# The IL302 trap: stop forwarding to ourselves, signal the whole process group (the jobs
# stay in the shell's group: no job control in a script), wait for them, end as SIGTERM would.
# Portable: dash runs $(jobs -p) in a subshell that has no jobs, so the group is signalled.
FORWARDING_TRAP = """trap 'trap "" TERM INT; kill -TERM 0; wait; exit 143' TERM INT"""


def plan_add_wait(intent: ScriptAppendWait) -> FixPlan | NoFix:
    """IL302: a forwarding trap after the shebang (unless the script traps TERM already), and
    ``wait`` at the end: in place of a keep-alive (``intent.end``), or after the last command,
    which then runs in the background too (a trap cannot run during a foreground command)."""
    from initlint.pid1.script import ScriptParseError, analyse_script

    text = _read(intent.path)
    if isinstance(text, NoFix):
        return text
    try:
        facts = analyse_script(text, intent.path, intent.path, "sh")
    except ScriptParseError as error:
        return NoFix(str(error))
    fixed = text
    if intent.end is not None:
        fixed = text[: intent.offset] + "wait" + text[intent.end :]
    elif facts.ending == "foreground" and facts.last_command is not None:
        # `&` right after the command's words: before a heredoc's body, if it has one
        command = facts.last_command.value
        amp = text.rfind(command, 0, intent.offset) + len(command)
        fixed = (
            text[:amp] + " &" + text[amp : intent.offset] + intent.newline + "wait"
            + text[intent.offset :]
        )  # fmt: skip
    elif facts.ending != "wait":
        fixed = text[: intent.offset] + intent.newline + "wait" + text[intent.offset :]
    if not facts.term_handler:
        top = 0
        if fixed.startswith("#!"):
            line_end = fixed.find("\n")
            top = len(fixed) if line_end < 0 else line_end + 1
        fixed = fixed[:top] + FORWARDING_TRAP + intent.newline + fixed[top:]
    return FixPlan((), (FileWrite(intent.path, fixed, _mode(intent.path)),), note=intent.path)

"""A ``sh -c`` string as the shell will run it: does the shell exec its last command, or stay?

The string is read with :mod:`initlint.pid1.shell_syntax` (the tree-sitter-bash tree that
scripts are read with) and judged with the measured shell behaviour (bash 5.2, dash 0.5.12
and busybox 1.35 ash; every row is in ``rules/IL103.md`` and re-measured by
``tests/checks/test_shell_table_measured.py``). Every answer that is not certain comes back
as ``None`` or a ``DEPENDS`` verdict, so rules can stay quiet or say what is unknown.
"""

from __future__ import annotations

import functools

from initlint.knowledge.shells import (
    BUILTINS,
    EXECS_LAST_COMMAND,
    FAMILY_LABELS,
    trapped_signals,
)
from initlint.model import InlineScript, ShellFamily, ShellVerdict
from initlint.pid1.shell_syntax import AndOr, CompoundCommand, Script, SimpleCommand, parse_script

_LOOPS = frozenset({"while", "until", "for"})


def _after_exec_options(words: tuple[str, ...]) -> tuple[str, ...]:
    i = 0
    while i < len(words) and words[i].startswith("-"):
        i += 2 if words[i] == "-a" else 1
    return words[i:]


def _traps(script: Script) -> tuple[frozenset[int], bool]:
    trapped: set[int] = set()
    sets_traps = False
    for command in script.simple_commands:
        signals = trapped_signals([word.value for word in command.words])
        if signals is not None:
            sets_traps = True
            trapped |= signals
    return frozenset(trapped), sets_traps


def _line_items(script: Script) -> list[AndOr]:
    """The items on the script's last line (bash parses and runs a -c string line by line)."""
    items = list(script.items)
    line = [items[-1]]
    for item in reversed(items[:-1]):
        if item.separator == "\n":
            break
        line.insert(0, item)
    return line


def _trailing(script: Script, item: AndOr) -> str:
    """What follows the last command, same-line comment and blanks removed."""
    rest = script.text[item.end :]
    newline = rest.find("\n")
    head, tail = (rest, "") if newline < 0 else (rest[:newline], rest[newline:])
    if "#" in head:
        head = head[: head.index("#")]
    return (head + tail).replace(" ", "").replace("\t", "").replace("\r", "")


def _bash_verdict(script: Script, item: AndOr, last: SimpleCommand) -> tuple[ShellVerdict, str]:
    if _trailing(script, item) not in ("", ";", "\n", ";\n"):
        return ShellVerdict.STAYS, "bash does not exec a command followed by more lines"
    if last.redirects:
        return ShellVerdict.STAYS, "bash does not exec a redirected last command"
    line = _line_items(script)
    if len(line) > 1 and line[-2].separator == "&":
        return ShellVerdict.STAYS, "bash does not exec a command that follows a background job"
    if len(item.pipelines) > 1 and len(line) > 1:
        return (
            ShellVerdict.STAYS,
            "bash does not exec the end of an && or || list that follows other commands",
        )
    return ShellVerdict.EXECS, ""


def _ash_verdict(script: Script, item: AndOr, last: SimpleCommand) -> ShellVerdict | None:
    if "\n" in _trailing(script, item):
        return ShellVerdict.STAYS
    if last.redirects:
        return None  # busybox execs some redirected commands and not others
    return ShellVerdict.EXECS


@functools.lru_cache(maxsize=512)
def analyse_script(text: str, family: ShellFamily) -> InlineScript | None:
    """How ``family`` runs the script ``text`` given to ``-c``; None when it cannot be told
    or when the script does not end by running a program in the foreground."""
    if family is ShellFamily.NONE:
        return None
    script = parse_script(text)
    if script is None or not script.items:
        return None
    item = script.items[-1]
    if item.separator == "&":
        return None
    pipeline = item.pipelines[-1]
    last = pipeline.commands[-1]
    if isinstance(last, CompoundCommand) and last.keyword in _LOOPS and len(item.pipelines) == 1:
        if len(pipeline.commands) > 1 or pipeline.negated:
            return None
        # `while true; do sleep 1; done`: no shell can exec a loop, it stays to run it
        trapped, sets_traps = _traps(script)
        return InlineScript(
            verdict=ShellVerdict.STAYS,
            why=f"every shell stays to run a {last.keyword} loop",
            trapped=trapped,
            sets_traps=sets_traps,
            program_words=(),
            last_text=script.text[last.start : last.end],
            exec_offset=last.start,
            exec_insertable=False,
        )
    if not isinstance(last, SimpleCommand) or not last.words:
        return None
    name = last.words[0]
    if name.value in BUILTINS and name.value != "exec" and name.is_literal:
        return None
    trapped, sets_traps = _traps(script)

    simple = tuple(c for c in pipeline.commands if isinstance(c, SimpleCommand))
    in_pipeline = simple if len(simple) > 1 and len(simple) == len(pipeline.commands) else ()

    single = len(pipeline.commands) == 1 and not pipeline.negated

    def result(verdict: ShellVerdict, why: str = "") -> InlineScript:
        first = in_pipeline[0] if in_pipeline else last
        words = tuple(word.value for word in first.words)
        if verdict is ShellVerdict.EXPLICIT_EXEC:
            words = _after_exec_options(words[1:])
        return InlineScript(
            verdict=verdict,
            why=why,
            trapped=trapped,
            sets_traps=sets_traps,
            program_words=words,
            last_text=script.text[first.command_offset : last.end],
            exec_offset=last.command_offset,
            exec_insertable=single,
        )

    if len(pipeline.commands) > 1 and not in_pipeline:
        return None  # a compound command in the final pipeline
    if name.value == "exec" and name.is_literal:
        if not single or not _after_exec_options(tuple(w.value for w in last.words[1:])):
            return None
        return result(ShellVerdict.EXPLICIT_EXEC)
    if not single:
        why = "every shell stays as the parent of a pipeline"
        if pipeline.negated:
            why = "every shell stays to invert the status of a ! command"
        return result(ShellVerdict.STAYS, why)
    if sets_traps:
        return result(ShellVerdict.STAYS, "every shell stays to run its trap")
    if EXECS_LAST_COMMAND.get(family) is False:
        label = FAMILY_LABELS[family]
        return result(ShellVerdict.STAYS, f"{label} never execs the last command itself")
    if family is ShellFamily.BASH:
        verdict, why = _bash_verdict(script, item, last)
        return result(verdict, why)
    if family is ShellFamily.ASH:
        ash = _ash_verdict(script, item, last)
        if ash is None:
            return None
        why = "busybox ash does not exec a command followed by more lines"
        return result(ash, why if ash is ShellVerdict.STAYS else "")
    return result(ShellVerdict.DEPENDS, "")

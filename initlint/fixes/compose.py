"""Compose fixer: fix intents to text edits on the positions the YAML loader gave.

- an init (IL201/IL202): ``init: true`` in the service, indented like its other keys (safe:
  docker-init only reaps and forwards signals);
- ``exec`` inserted in a ``sh -c`` script (IL103), in a list item or in a quoted word of a
  command string; a command string that is nothing but ``sh -c "<plain words>"`` becomes the
  list of those words instead, since compose runs a list without any shell;
- ``stop_signal`` set or replaced (IL108).

Every plan is checked before it is offered: the edited text is loaded again and the service
must run exactly the argv the fix intends (anything else is a NoFix, never a guess).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from initlint.checks.common import exec_form_words
from initlint.fixes.dispatch import HandlerTable, cannot, dispatch
from initlint.fixes.plan import FixPlan, NoFix
from initlint.fixes.text import SourceText
from initlint.fixes.yaml_edits import entry_at, flow_list, insert_exec_edit, point, set_key_edit
from initlint.model import (
    AddSigtermHandler,
    Command,
    Edit,
    Finding,
    InjectInit,
    InsertExec,
    InsertInitSeparator,
    RemoveArgvWords,
    RemoveCommands,
    RemoveRuntimeInit,
    ReplaceArgv,
    RuntimeSpec,
    ScriptAppendWait,
    ScriptInsertExec,
    SetStopSignal,
    ToExecForm,
)
from initlint.pid1.argv import shell_invocation
from initlint.sources.command_words import CommandWordsError, split_command
from initlint.sources.compose import ComposeProject
from initlint.sources.compose_interpolation import interpolate, project_environment
from initlint.sources.yaml_inputs import load_yaml
from initlint.sources.yaml_positions import YScalar


class ComposeFixer:
    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        loaded = load_yaml(text, path)
        assert isinstance(loaded.project, ComposeProject)
        self.project = loaded.project
        folder = Path(path).resolve().parent if path != "<stdin>" else Path.cwd()
        environment = project_environment(folder)
        self._expand: Callable[[str], str] = lambda raw: interpolate(raw, environment)

    def plan(self, finding: Finding) -> FixPlan | NoFix:
        service = self.project.service(finding.container)
        if service is None or service.path != self.path:
            return NoFix(f"service {finding.container} is not written in this file")
        if service.node is None:
            return NoFix(f"service {finding.container} has no settings to add to")
        return dispatch(HANDLERS, _Service(self, service.node), finding, "a compose file")

    def _set(self, node: object, key: str, value: str, finding: Finding) -> FixPlan | NoFix:
        from initlint.sources.yaml_positions import YMapping

        assert isinstance(node, YMapping)
        edit = set_key_edit(self.text, self.path, node, key, value)
        if isinstance(edit, NoFix):
            return edit
        return self._checked((edit,), finding, lambda spec: _key_is(spec, key, value))

    def _remove_init(self, node: object, finding: Finding) -> FixPlan | NoFix:
        from initlint.sources.yaml_positions import YMapping

        assert isinstance(node, YMapping)
        entry = next((e for e in node.entries if e.key.value == "init" and not e.merged), None)
        if entry is None:
            return NoFix("init: true is not written in this service")
        line = entry.key.start.line
        if node.flow or entry.value.end.line != line:
            return NoFix("init: is not on a line of its own")
        if any(
            e is not entry and line in (e.key.start.line, e.value.end.line) for e in node.entries
        ):
            return NoFix("init: shares its line with other settings")
        whole = entry.key.span._replace(column=1, end_line=line + 1, end_column=1)
        return self._checked((Edit(whole, ""),), finding, lambda spec: spec.init is None
                             or spec.init.how != "compose-init")  # fmt: skip

    def _insert_exec(self, intent: InsertExec, finding: Finding) -> FixPlan | NoFix:
        command = intent.command
        if command.keyword_span is None or command.span.path != self.path:
            return NoFix("the command is not written in this file (it comes from the Dockerfile)")
        root = self.project.documents[0].root
        entry = entry_at(root, command.keyword_span)
        if entry is None:
            return NoFix("the command is no longer where it was")
        as_list = self._as_list(entry.value, intent)
        if as_list is not None:
            edit, words = as_list
            return self._checked(
                (edit,), finding, lambda spec: _argv_of(spec, command.role) == words
            )
        planned = insert_exec_edit(self.text, self.path, entry, intent, self._expand)
        if isinstance(planned, NoFix):
            return planned
        edit, new_script = planned
        expected = tuple(new_script if w == intent.word else w.value for w in command.words)
        if isinstance(entry.value, YScalar):
            expected = tuple(
                new_script if value == intent.word.value else value for value in command.argv
            )
        return self._checked(
            (edit,), finding, lambda spec: _argv_of(spec, command.role) == expected
        )

    def _as_list(self, node: object, intent: InsertExec) -> tuple[Edit, tuple[str, ...]] | None:
        """``command: sh -c "python app.py"`` → ``command: ["python", "app.py"]``."""
        if not isinstance(node, YScalar) or "$" in node.value:
            return None
        try:
            words = [w.value for w in split_command(node.value)]
        except CommandWordsError:
            return None
        invocation = shell_invocation(words)
        if invocation is None or invocation.script_index != len(words) - 1:
            return None
        if words[-1] != intent.word.value:
            return None
        plain = exec_form_words(words[-1])
        if plain is None:
            return None
        # a block scalar's end mark is past its line break: keep that and the lines after
        end = node.end.offset
        while end > node.start.offset and self.text[end - 1] in " \t\r\n":
            end -= 1
        source = SourceText(self.text)
        start, stop = point(self.path, source, node.start.offset), point(self.path, source, end)
        span = start._replace(end_line=stop.line, end_column=stop.column)
        return Edit(span, flow_list(plain)), tuple(plain)

    def _checked(self, edits: tuple[Edit, ...], finding: Finding, holds: object) -> FixPlan | NoFix:
        """The plan, if the edited file still loads and the service then satisfies ``holds``."""
        from initlint.errors import InputError

        fixed = SourceText(self.text).apply(edits)
        try:
            project = load_yaml(fixed, self.path).project
        except InputError as error:
            return NoFix(f"the edit would break the file ({error.message})")
        assert isinstance(project, ComposeProject)
        spec = next((s for s in project.specs if s.name == finding.container), None)
        if spec is None or not callable(holds) or not holds(spec):
            return NoFix("the edit does not give the service what the fix intends")
        return FixPlan(edits)


def _argv_of(spec: RuntimeSpec, role: str) -> tuple[str, ...] | None:
    command: Command | None = spec.entrypoint if role == "entrypoint" else spec.cmd
    return command.argv if command is not None else None


def _key_is(spec: RuntimeSpec, key: str, value: str) -> bool:
    if key == "init":
        return spec.init is not None and spec.init.how == "compose-init"
    if key == "stop_signal":
        return spec.stop_signal is not None and spec.stop_signal.value == value
    return False


class _Service(NamedTuple):
    """The fixer and the service a finding is about, for the handlers."""

    fixer: ComposeFixer
    node: object


_IN_DOCKERFILE = "fix it in the Dockerfile or the script, where the command is written"

HANDLERS: HandlerTable[_Service] = {
    InjectInit: lambda s, _, finding: s.fixer._set(s.node, "init", "true", finding),
    SetStopSignal: lambda s, intent, finding: s.fixer._set(
        s.node, "stop_signal", intent.signal, finding
    ),
    InsertExec: lambda s, intent, finding: s.fixer._insert_exec(intent, finding),
    RemoveRuntimeInit: lambda s, _, finding: s.fixer._remove_init(s.node, finding),
    ToExecForm: cannot("compose commands are never shell form: " + _IN_DOCKERFILE),
    RemoveCommands: cannot("a service sets one command: " + _IN_DOCKERFILE),
    ReplaceArgv: cannot("rewriting a service's command is not automated yet"),
    ScriptInsertExec: cannot(_IN_DOCKERFILE),
    ScriptAppendWait: cannot(_IN_DOCKERFILE),
    AddSigtermHandler: cannot("the app's code is fixed through its Dockerfile"),
    InsertInitSeparator: cannot(_IN_DOCKERFILE),
    RemoveArgvWords: cannot(_IN_DOCKERFILE),
}

"""Kubernetes fixer: fix intents to text edits on the positions the YAML loader gave.

- ``exec`` inserted in a ``sh -c`` script of ``command``/``args`` (IL103, safe);
- an init (IL201/IL202): Kubernetes has no ``--init``; the real fix is an init in the image.
  ``shareProcessNamespace: true`` in the pod spec makes the pause container PID 1 (it reaps
  orphans, and the app, no longer PID 1, gets SIGTERM's default action), but every container
  of the pod then sees and can signal the others' processes: an unsafe fix, applied only with
  ``--unsafe-fixes``.

Other documents of the file and their ``---`` separators are never touched: edits are a few
characters at exact offsets, and each plan is checked by loading the edited text again.
"""

from __future__ import annotations

from collections.abc import Callable

from initlint.fixes.dispatch import HandlerTable, cannot, dispatch
from initlint.fixes.plan import FixPlan, NoFix
from initlint.fixes.text import SourceText
from initlint.fixes.yaml_edits import entry_at, insert_exec_edit, set_key_edit
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
from initlint.sources.kubernetes import (
    KubeContainer,
    KubeManifests,
    container_env,
    expand_references,
)
from initlint.sources.yaml_inputs import load_yaml


class KubernetesFixer:
    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        loaded = load_yaml(text, path)
        assert isinstance(loaded.project, KubeManifests)
        self.manifests = loaded.project

    def container(self, name: str) -> KubeContainer | None:
        for container in self.manifests.containers:
            if f"{container.workload}/{container.name}" == name:
                return container
        return None

    def plan(self, finding: Finding) -> FixPlan | NoFix:
        return dispatch(HANDLERS, self, finding, "a Kubernetes manifest")

    def _share_process_namespace(self, finding: Finding) -> FixPlan | NoFix:
        container = self.container(finding.container)
        if container is None:
            return NoFix(f"container {finding.container} not found")
        edit = set_key_edit(
            self.text, self.path, container.pod_spec, "shareProcessNamespace", "true"
        )
        if isinstance(edit, NoFix):
            return edit
        return self._checked(
            (edit,), finding, lambda s: s.init is not None and s.init.name == "pause"
        )

    def _insert_exec(self, intent: InsertExec, finding: Finding) -> FixPlan | NoFix:
        command = intent.command
        if command.keyword_span is None:
            return NoFix("the command is not written in this file")
        for document in self.manifests.documents:
            entry = entry_at(document.root, command.keyword_span)
            if entry is not None:
                break
        else:
            return NoFix("the command is no longer where it was")
        container = self.container(finding.container)
        env = container_env(self.path, container.node) if container is not None else {}
        planned = insert_exec_edit(
            self.text, self.path, entry, intent, lambda raw: expand_references(raw, env)
        )
        if isinstance(planned, NoFix):
            return planned
        edit, new_script = planned
        expected = tuple(new_script if w == intent.word else w.value for w in command.words)
        return self._checked((edit,), finding, lambda s: _argv_of(s, command.role) == expected)

    def _checked(
        self, edits: tuple[Edit, ...], finding: Finding, holds: Callable[[RuntimeSpec], bool]
    ) -> FixPlan | NoFix:
        from initlint.errors import InputError

        fixed = SourceText(self.text).apply(edits)
        try:
            project = load_yaml(fixed, self.path).project
        except InputError as error:
            return NoFix(f"the edit would break the file ({error.message})")
        assert isinstance(project, KubeManifests)
        spec = next((s for s in project.specs if s.name == finding.container), None)
        if spec is None or not holds(spec):
            return NoFix("the edit does not give the container what the fix intends")
        return FixPlan(edits)


def _argv_of(spec: RuntimeSpec, role: str) -> tuple[str, ...] | None:
    command: Command | None = spec.entrypoint if role == "entrypoint" else spec.cmd
    return command.argv if command is not None else None


_IN_IMAGE = "fix it in the image's Dockerfile or script, where the command is written"

HANDLERS: HandlerTable[KubernetesFixer] = {
    InsertExec: lambda fixer, intent, finding: fixer._insert_exec(intent, finding),
    InjectInit: lambda fixer, _, finding: fixer._share_process_namespace(finding),
    SetStopSignal: cannot("a pod cannot set a stop signal: set STOPSIGNAL in the image"),
    RemoveRuntimeInit: cannot("Kubernetes adds no init of its own to remove"),
    ToExecForm: cannot("Kubernetes commands are never shell form: " + _IN_IMAGE),
    RemoveCommands: cannot("a container sets one command: " + _IN_IMAGE),
    ReplaceArgv: cannot("rewriting a container's command is not automated yet"),
    ScriptInsertExec: cannot(_IN_IMAGE),
    ScriptAppendWait: cannot(_IN_IMAGE),
    AddSigtermHandler: cannot("the app's code is fixed through its image"),
    InsertInitSeparator: cannot(_IN_IMAGE),
    RemoveArgvWords: cannot(_IN_IMAGE),
}

"""Kubernetes loader: one RuntimeSpec per container of every pod template.

Workloads: Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob,
ReplicationController and PodTemplate (and OpenShift DeploymentConfig, Argo Rollout), in
multi-document files and ``kind: List``. Other kinds (Service, ConfigMap, ...) are read and have
no containers.

- ``containers`` count, and ``initContainers`` only when they are sidecars
  (``restartPolicy: Always``): the others run to completion before the app starts;
- ``command`` replaces the image ENTRYPOINT and ``args`` its CMD, per the override table:
  ``command`` without ``args`` drops the image CMD; ``args`` alone keeps the ENTRYPOINT, which
  is known only for images in ``knowledge.images``; neither: the image's own argv, unknown;
- never a shell; only ``$(VAR)`` expansion from the container's ``env`` (``$$(VAR)`` escapes);
- ``shareProcessNamespace: true``: the pause container is PID 1 of the pod and reaps
  (``hostPID: true``: the host's init is);
  ``terminationGracePeriodSeconds``; ``lifecycle.preStop``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import NamedTuple

from initlint.errors import InputError
from initlint.knowledge.images import image_facts
from initlint.model import (
    Command,
    CommandForm,
    CommandRole,
    InitInfo,
    Located,
    RuntimeSpec,
    SourceKind,
    StopSignal,
)
from initlint.pid1.argv import find_init
from initlint.sources.buildkit_words import BoundedScope, ShellWordError
from initlint.sources.yaml_positions import (
    YDocument,
    YEntry,
    YMapping,
    YScalar,
    YSequence,
    YValue,
    describe_kind,
    helm_only_line,
    helm_template_line,
    load_documents,
    scalar_text,
)

POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
    "PodTemplate": ("template", "spec"),
    # widely used custom workloads with the same pod template
    "DeploymentConfig": ("spec", "template", "spec"),  # OpenShift
    "Rollout": ("spec", "template", "spec"),  # Argo Rollouts
}
_REFERENCE = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")


class KubeContainer(NamedTuple):
    """A container as written (what suppressions and the fixer work on)."""

    name: str
    node: YMapping
    pod_spec: YMapping
    workload: str  # "Deployment/web"


class KubeManifests:
    """The manifests of one file, filled document by document."""

    __slots__ = ("containers", "documents", "kinds", "path", "specs")

    def __init__(self, path: str, documents: list[YDocument]) -> None:
        self.path = path
        self.documents = documents
        self.containers: list[KubeContainer] = []
        self.specs: list[RuntimeSpec] = []
        self.kinds: list[str] = []  # every kind seen, in order


def is_manifest(root: YValue | None) -> bool:
    return (
        isinstance(root, YMapping)
        and isinstance(root.get("apiVersion"), YScalar)
        and isinstance(root.get("kind"), YScalar)
    )


def expand_references(text: str, env: Mapping[str, str]) -> str:
    """Kubernetes ``$(VAR)`` expansion: defined variables replaced, others kept as written."""

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1)
        return env[name] if name in env else match.group(0)

    return _REFERENCE.sub(replace, text)


class _Loader:
    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, node: YValue, message: str) -> InputError:
        return InputError(self.path, message, node.start.line)

    def manifests(self, root: YValue) -> Iterator[YMapping]:
        if not is_manifest(root):
            return
        assert isinstance(root, YMapping)
        kind = scalar_text(root.get("kind"))
        if kind is not None and kind.endswith("List"):
            items = root.get("items")
            if isinstance(items, YSequence):
                for item in items.items:
                    yield from self.manifests(item)
            elif items is not None and not (isinstance(items, YScalar) and items.is_null):
                raise self.fail(items, f"items of a {kind} must be a list")
            return
        yield root

    def pod_spec(self, manifest: YMapping) -> YMapping | None:
        kind = scalar_text(manifest.get("kind")) or ""
        path = POD_SPEC_PATHS.get(kind)
        if path is None:
            return None
        node: YValue | None = manifest
        for key in path:
            if not isinstance(node, YMapping):
                return None
            node = node.get(key)
        if node is None or (isinstance(node, YScalar) and node.is_null):
            return None
        if not isinstance(node, YMapping):
            raise self.fail(node, f"{'.'.join(path)} of a {kind} must be a mapping")
        return node

    def containers(self, pod: YMapping) -> Iterator[YMapping]:
        for key in ("initContainers", "containers"):
            listed = pod.get(key)
            if listed is None or (isinstance(listed, YScalar) and listed.is_null):
                continue
            if not isinstance(listed, YSequence):
                raise self.fail(listed, f"{key} must be a list, not {describe_kind(listed)}")
            for item in listed.items:
                if not isinstance(item, YMapping):
                    raise self.fail(item, f"each of {key} must be a mapping")
                if key == "initContainers" and scalar_text(item.get("restartPolicy")) != "Always":
                    continue  # runs to completion before the app: not a PID 1 of the running pod
                yield item

    def env(self, container: YMapping) -> dict[str, str]:
        found: dict[str, str] = {}
        bounded = BoundedScope(found)  # values that double with each variable stop at 1 MiB
        listed = container.get("env")
        if not isinstance(listed, YSequence):
            return found
        for item in listed.items:
            if not isinstance(item, YMapping):
                continue
            name, value = scalar_text(item.get("name")), item.get("value")
            if name is None:
                continue
            text = scalar_text(value)
            if text is not None:
                try:
                    found[name] = expand_references(text, bounded)
                except ShellWordError as error:
                    raise self.fail(item, f"env {name}: {error}") from None
            else:
                found.pop(name, None)  # valueFrom: known only at run time
        return found

    def command(self, entry: YEntry, role: CommandRole, env: Mapping[str, str]) -> Command:
        node = entry.value
        if not isinstance(node, YSequence):
            raise self.fail(
                node, f"{entry.key.value} must be a list of strings, not {describe_kind(node)}"
            )
        words: list[Located] = []
        bounded = BoundedScope(env)
        for item in node.items:
            text = scalar_text(item)
            if not isinstance(item, YScalar) or text is None:
                raise self.fail(item, f"{entry.key.value} items must be strings")
            try:
                words.append(Located(expand_references(text, bounded), item.span))
            except ShellWordError as error:
                raise self.fail(item, f"{entry.key.value}: {error}") from None
        return Command(
            role=role,
            form=CommandForm.EXEC,
            argv=tuple(word.value for word in words),
            span=entry.key.span.cover(node.span),
            words=tuple(words),
            keyword_span=entry.key.span,
        )

    def spec(self, workload: str, pod: YMapping, container: YMapping) -> RuntimeSpec:
        name = scalar_text(container.get("name")) or "?"
        image = scalar_text(container.get("image"))
        if image is not None and "{{" in image:
            raise InputError(self.path, _HELM_MESSAGE, container.get("image").start.line)  # type: ignore[union-attr]
        facts = image_facts(image)
        env = self.env(container)
        command_entry, args_entry = container.entry("command"), container.entry("args")
        if command_entry is not None and _null(command_entry.value):
            command_entry = None
        if args_entry is not None and _null(args_entry.value):
            args_entry = None
        entrypoint = self.command(command_entry, "entrypoint", env) if command_entry else None
        cmd = self.command(args_entry, "cmd", env) if args_entry else None
        for piece in (entrypoint, cmd):
            if piece is not None and any("{{" in word for word in piece.argv):
                raise InputError(self.path, _HELM_MESSAGE, piece.span.line)
        if entrypoint is None:
            if cmd is None or facts.entrypoint is None:
                cmd = None  # the image's own ENTRYPOINT/CMD: unknown by name
            elif facts.entrypoint:
                image_node = container.get("image")
                span = image_node.span if image_node is not None else container.span
                entrypoint = Command(
                    role="entrypoint",
                    form=CommandForm.EXEC,
                    argv=facts.entrypoint,
                    span=span,
                    words=tuple(Located(word, span) for word in facts.entrypoint),
                    inherited_from=image,
                )
        name_node = container.get("name")
        spec = RuntimeSpec(
            source_kind=SourceKind.KUBERNETES,
            path=self.path,
            name=f"{workload}/{name}",
            span=name_node.span if name_node is not None else container.span,
            base_image=image,
            shell_family=facts.shell,
            entrypoint=entrypoint,
            cmd=cmd,
            stop_signal=(
                StopSignal(facts.stop_signal, None, inherited_from=image)
                if facts.stop_signal
                else None
            ),
            stop_grace_seconds=self.grace(pod),
            pre_stop=self.pre_stop(container),
        )
        init = self.shared_namespace(pod)
        if init is None:
            pid1 = spec.pid1_command
            init = find_init(spec.argv, pid1.span if pid1 else None)
        return spec._replace(init=init, runs_to_completion=_to_completion(workload, pod))

    def grace(self, pod: YMapping) -> float | None:
        node = pod.get("terminationGracePeriodSeconds")
        if node is None or _null(node):
            return None
        if not isinstance(node, YScalar) or node.kind != "int":
            raise self.fail(node, "terminationGracePeriodSeconds must be a whole number")
        return float(node.value)

    def shared_namespace(self, pod: YMapping) -> InitInfo | None:
        host = pod.entry("hostPID")
        if host is not None and isinstance(host.value, YScalar) and host.value.as_bool():
            return InitInfo("the host's init", "host-pid", host.key.span.cover(host.value.span))
        entry = pod.entry("shareProcessNamespace")
        if entry is None or not isinstance(entry.value, YScalar):
            return None
        if entry.value.as_bool():
            return InitInfo(
                "pause", "share-process-namespace", entry.key.span.cover(entry.value.span)
            )
        return None

    def pre_stop(self, container: YMapping) -> Located | None:
        lifecycle = container.get("lifecycle")
        hook = lifecycle.get("preStop") if isinstance(lifecycle, YMapping) else None
        if not isinstance(hook, YMapping):
            return None
        run = hook.get("exec")
        if isinstance(run, YMapping) and isinstance(run.get("command"), YSequence):
            command = run.get("command")
            assert isinstance(command, YSequence)
            text = " ".join(scalar_text(item) or "" for item in command.items)
            return Located(text, hook.span)
        http = hook.get("httpGet")
        if isinstance(http, YMapping):
            return Located(f"GET {scalar_text(http.get('path')) or '/'}", hook.span)
        sleep = hook.get("sleep")
        if isinstance(sleep, YMapping):
            return Located(f"sleep {scalar_text(sleep.get('seconds')) or '?'}", hook.span)
        return None


def container_env(path: str, container: YMapping) -> dict[str, str]:
    """The variables ``$(VAR)`` can name in a container's command and args."""
    return _Loader(path).env(container)


_HELM_MESSAGE = (
    "unrendered Helm template ({{ ... }}): lint the output of `helm template` "
    "(helm template . | initlint -)"
)


def _null(node: YValue) -> bool:
    return isinstance(node, YScalar) and node.is_null


def load_kubernetes(
    text: str, path: str, documents: list[YDocument] | None = None
) -> KubeManifests:
    """Every container of every workload in ``text``; InputError for what is not clean."""
    if documents is None:
        documents = load_documents(text, path)
    loader = _Loader(path)
    result = KubeManifests(path, documents)
    helm = helm_only_line(text)
    if helm is not None:
        raise InputError(path, _HELM_MESSAGE, helm)
    for document in documents:
        if document.root is None:
            continue
        if not is_manifest(document.root):
            line = helm_template_line(text)
            if line is not None:
                raise InputError(path, _HELM_MESSAGE, line)
            raise InputError(
                path,
                f"YAML document {document.stream_index + 1} is not a Kubernetes object "
                "(no apiVersion and kind)",
                document.start_line,
            )
        for manifest in loader.manifests(document.root):
            kind = scalar_text(manifest.get("kind")) or "?"
            result.kinds.append(kind)
            pod = loader.pod_spec(manifest)
            if pod is None:
                continue
            metadata = manifest.get("metadata")
            name = scalar_text(metadata.get("name")) if isinstance(metadata, YMapping) else None
            workload = f"{kind}/{name or '?'}"
            for container in loader.containers(pod):
                result.containers.append(
                    KubeContainer(
                        scalar_text(container.get("name")) or "?", container, pod, workload
                    )
                )
                result.specs.append(loader.spec(workload, pod, container))
    return result


def _to_completion(workload: str, pod: YMapping) -> str | None:
    """Jobs, CronJobs and pods that are not restarted run to completion."""
    kind = workload.split("/", 1)[0]
    if kind in ("Job", "CronJob"):
        return f"a Kubernetes {kind}"
    if kind == "Pod" and scalar_text(pod.get("restartPolicy")) in ("Never", "OnFailure"):
        return "a Kubernetes Pod that is not restarted"
    return None

"""YAML inputs: tell compose files from Kubernetes manifests, load them.

What a file is comes from its content (``services:`` / ``include:`` at the top: compose;
``apiVersion`` + ``kind`` in every document: Kubernetes). The pipeline
(:mod:`initlint.pipeline_yaml`) and the fixers call :func:`load_yaml`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from initlint.errors import InputError
from initlint.model import RuntimeSpec, SourceKind
from initlint.sources.app_files import AppFiles

if TYPE_CHECKING:
    from initlint.sources.dockerfile import FactsProvider

COMPOSE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
_COMPOSE_OVERRIDE = re.compile(r"^(docker-)?compose\.[^/]+\.ya?ml$")
_API_VERSION_HINT = re.compile(r"^\s*(- )?apiVersion\s*:", re.MULTILINE)
_KIND_HINT = re.compile(r"^\s*(- )?kind\s*:", re.MULTILINE)
_COMPOSE_HINT = re.compile(r"^(services|include)\s*:", re.MULTILINE)


class NotComposeOrKubernetes(InputError):
    """Clean YAML that is neither: skipped with a note, whether named or found in a folder."""


def is_compose_name(name: str) -> bool:
    base = os.path.basename(name)
    return base in COMPOSE_NAMES or bool(_COMPOSE_OVERRIDE.match(base))


def is_yaml_name(name: str) -> bool:
    return name.endswith((".yaml", ".yml"))


def looks_like_yaml_input(text: str) -> bool:
    """Cheap test for text from stdin or a folder: a manifest or a compose file, probably."""
    return looks_like_manifest_or_compose(text) or text.startswith("---")


def looks_like_manifest_or_compose(text: str) -> bool:
    manifest = _API_VERSION_HINT.search(text) and _KIND_HINT.search(text)
    return bool(manifest or _COMPOSE_HINT.search(text))


class YamlBlock(NamedTuple):
    """A service or container: findings inside it can be silenced by a comment before it."""

    first_line: int
    last_line: int


class YamlLoad(NamedTuple):
    kind: SourceKind
    specs: list[RuntimeSpec]
    blocks: list[YamlBlock]
    notes: list[str]
    project: object  # ComposeProject or KubeManifests
    # per spec: where its app files are (a compose service's build context or mounted code)
    app_files: Sequence[AppFiles | None] = ()


def load_yaml(text: str, path: str, facts_provider: FactsProvider | None = None) -> YamlLoad:
    """Load a compose file or Kubernetes manifests; InputError for anything else."""
    from initlint.sources.compose import COMPOSE_TAGS, is_compose_root, load_compose
    from initlint.sources.kubernetes import is_manifest, load_kubernetes
    from initlint.sources.yaml_positions import helm_template_line, load_documents

    documents = load_documents(text, path, COMPOSE_TAGS)
    roots = [d.root for d in documents if d.root is not None]
    if not roots:
        raise NotComposeOrKubernetes(
            path, "empty YAML: no compose services or Kubernetes objects", 1
        )
    if any(is_manifest(root) for root in roots):
        manifests = load_kubernetes(text, path, documents)
        blocks = [_block(c.node.start.line, c.node.end) for c in manifests.containers]
        return YamlLoad(SourceKind.KUBERNETES, manifests.specs, blocks, [], manifests)
    if len(roots) == 1 and is_compose_root(roots[0]):
        project = load_compose(text, path, documents=documents, facts_provider=facts_provider)
        blocks = [
            _block(s.key.start.line, s.node.end if s.node is not None else s.key.end)
            for s in project.services
        ]
        return YamlLoad(
            SourceKind.COMPOSE, project.specs, blocks, project.notes, project, project.app_files
        )
    helm = helm_template_line(text)
    if helm is not None:
        raise InputError(
            path,
            "unrendered Helm template ({{ ... }}): lint the output of `helm template` "
            "(helm template . | initlint -)",
            helm,
        )
    raise NotComposeOrKubernetes(
        path,
        "not a compose file (no services:) or Kubernetes manifest (no apiVersion and kind)",
        documents[0].start_line,
    )


def _block(first_line: int, end: object) -> YamlBlock:
    from initlint.sources.yaml_positions import Position

    assert isinstance(end, Position)
    # a block collection ends at the start of the next line: that line is not in it
    last = end.line - 1 if end.column == 1 and end.line > first_line else end.line
    return YamlBlock(first_line, last)

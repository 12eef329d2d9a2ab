"""YAML with the position of every key and value, loaded safely and with bounded work.

libyaml's composer (see yaml_compose.py) gives the node graph with start and end marks (line,
column, character index) for every scalar, sequence and mapping; nothing is constructed, so
no tag can run code.
This module turns that graph into small position-carrying nodes the compose and Kubernetes
loaders read and the fixers edit by:

- merge keys (``<<: *defaults``) are applied, the merged entries keeping the positions where
  they were written;
- aliases are followed with a budget: a document that expands to more than ``MAX_NODES``
  nodes (an "alias bomb") is an InputError, not a hang;
- duplicate keys, tabs in indentation, unknown tags and syntax errors are InputErrors naming
  the line, never tracebacks.

The parser is imported on first use, so ``initlint --version`` does not pay for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple, Union

from initlint.errors import InputError
from initlint.model import Span

# per document: far beyond any real manifest, far below what an alias bomb expands to
MAX_NODES = 200_000
MAX_DOCUMENTS = 10_000

STR, INT, FLOAT, BOOL, NULL = "str", "int", "float", "bool", "null"
_CORE_TAGS = {
    "tag:yaml.org,2002:str": STR,
    "tag:yaml.org,2002:int": INT,
    "tag:yaml.org,2002:float": FLOAT,
    "tag:yaml.org,2002:bool": BOOL,
    "tag:yaml.org,2002:null": NULL,
    "tag:yaml.org,2002:timestamp": STR,
    "tag:yaml.org,2002:binary": STR,
    # the YAML 1.1 "=" value key: Go's yaml (kubectl) reads a plain "=" as a string, and
    # CRD schemas use it as an enum value
    "tag:yaml.org,2002:value": STR,
}
_MAP_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:omap"})
_SEQ_TAGS = frozenset({"tag:yaml.org,2002:seq"})
_MERGE_KEY = "tag:yaml.org,2002:merge"


class Position(NamedTuple):  # a tuple: 460,000 of them for a 10,000-document stream
    offset: int  # character index in the text
    line: int  # 1-based
    column: int  # 1-based


class YNode:
    """A node with where it was written; mutable (the BOM shift moves positions, a mapping is
    filled after it is made), and made by the thousand: a plain class with slots."""

    __slots__ = ("end", "path", "start", "tag")

    def __init__(self, start: Position, end: Position, path: str, tag: str | None) -> None:
        self.start = start
        self.end = end  # exclusive
        self.path = path
        self.tag = tag  # a custom tag as written (``!reset``), None for the core ones

    @property
    def span(self) -> Span:
        return Span(self.path, self.start.line, self.start.column, self.end.line, self.end.column)


class YScalar(YNode):
    __slots__ = ("kind", "style", "value")

    def __init__(
        self,
        start: Position,
        end: Position,
        path: str,
        tag: str | None,
        value: str = "",
        kind: str = STR,  # str, int, float, bool, null
        style: str | None = None,  # None (plain), "'", '"', "|", ">"
    ) -> None:
        self.start = start
        self.end = end
        self.path = path
        self.tag = tag
        self.value = value
        self.kind = kind
        self.style = style

    @property
    def is_null(self) -> bool:
        return self.kind == NULL

    def as_bool(self) -> bool | None:
        if self.kind != BOOL:
            return None
        return self.value.lower() in ("true", "yes", "on", "y")


class YEntry(NamedTuple):
    key: YScalar
    value: YValue
    merged: bool = False  # came in through a ``<<`` merge key


class YMapping(YNode):
    __slots__ = ("entries", "flow")

    def __init__(
        self,
        start: Position,
        end: Position,
        path: str,
        tag: str | None,
        entries: list[YEntry] | None = None,
        flow: bool = False,
    ) -> None:
        self.start = start
        self.end = end
        self.path = path
        self.tag = tag
        self.entries: list[YEntry] = [] if entries is None else entries
        self.flow = flow

    def get(self, key: str) -> YValue | None:
        entry = self.entry(key)
        return entry.value if entry is not None else None

    def entry(self, key: str) -> YEntry | None:
        for entry in self.entries:
            if entry.key.value == key:
                return entry
        return None

    def keys(self) -> list[str]:
        return [entry.key.value for entry in self.entries]


class YSequence(YNode):
    __slots__ = ("flow", "items")

    def __init__(
        self,
        start: Position,
        end: Position,
        path: str,
        tag: str | None,
        items: list[YValue] | None = None,
        flow: bool = False,
    ) -> None:
        self.start = start
        self.end = end
        self.path = path
        self.tag = tag
        self.items: list[YValue] = [] if items is None else items
        self.flow = flow


YValue = Union[YScalar, YMapping, YSequence]


class YDocument(NamedTuple):
    root: YValue | None
    stream_index: int  # 0-based position in the stream
    start_line: int


# --- loading ------------------------------------------------------------------------------


class _Converter:
    def __init__(self, path: str, allowed_tags: frozenset[str]) -> None:
        self.path = path
        self.allowed_tags = allowed_tags
        self.budget = MAX_NODES

    def fail(self, node: Any, message: str) -> InputError:
        return InputError(self.path, message, node.start_mark.line + 1)

    def spend(self, node: Any) -> None:
        if self.budget < 0:
            raise InputError(
                self.path,
                f"the YAML expands to more than {MAX_NODES} nodes through aliases (an alias "
                "bomb?): refusing to read it",
                node.start_mark.line + 1,
            )

    def custom_tag(self, node: Any, core: frozenset[str] | dict[str, str]) -> str | None:
        tag = str(node.tag) if node.tag is not None else None
        if tag is None or tag in core:
            return None
        if tag in self.allowed_tags:
            return tag
        raise self.fail(node, f"YAML tag {tag} is not supported here")

    def convert(self, node: Any, depth: int = 0) -> YValue:
        # the hot loop of a big stream: marks and the budget inline, tags checked once
        self.budget -= 1
        if self.budget < 0:
            self.spend(node)
        if depth > 200:
            raise self.fail(node, "YAML nested more than 200 levels deep")
        mark, last = node.start_mark, node.end_mark
        start = Position(mark.index, mark.line + 1, mark.column + 1)
        end = Position(last.index, last.line + 1, last.column + 1)
        if node.id == "scalar":
            core = _CORE_TAGS.get(node.tag)
            tag = None if core is not None else self.custom_tag(node, _CORE_TAGS)
            kind = core or STR
            style = node.style if node.style in ("'", '"', "|", ">") else None
            value = str(node.value)
            return YScalar(start, end, self.path, tag, value, kind, style)
        if node.id == "sequence":
            tag = self.custom_tag(node, _SEQ_TAGS)
            items = [self.convert(item, depth + 1) for item in node.value]
            return YSequence(start, end, self.path, tag, items, bool(node.flow_style))
        if node.id == "mapping":
            tag = self.custom_tag(node, _MAP_TAGS)
            mapping = YMapping(start, end, self.path, tag, [], bool(node.flow_style))
            self._fill(mapping, node, depth)
            return mapping
        raise self.fail(node, f"unexpected YAML node {type(node).__name__}")

    def _fill(self, mapping: YMapping, node: Any, depth: int) -> None:
        own: list[YEntry] = []
        merged: list[YEntry] = []
        merged_keys: set[str] = set()
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if str(key_node.tag) == _MERGE_KEY:
                sources = value_node.value if value_node.id == "sequence" else [value_node]
                for source in sources:
                    if source.id != "mapping":
                        raise self.fail(
                            key_node, "a << merge key needs a mapping or a list of them"
                        )
                    converted = self.convert(source, depth + 1)
                    assert isinstance(converted, YMapping)
                    for entry in converted.entries:
                        if entry.key.value not in merged_keys:  # the first source wins
                            merged_keys.add(entry.key.value)
                            merged.append(YEntry(entry.key, entry.value, merged=True))
                continue
            if key_node.id != "scalar":
                raise self.fail(key_node, "a mapping key must be a plain value, not a collection")
            key = self.convert(key_node, depth + 1)
            assert isinstance(key, YScalar)
            if key.value in seen:
                raise InputError(
                    self.path,
                    f"duplicate key {key.value!r} (first on line {seen[key.value]})",
                    key.start.line,
                )
            seen[key.value] = key.start.line
            own.append(YEntry(key, self.convert(value_node, depth + 1)))
        mapping.entries = own + [m for m in merged if m.key.value not in seen]


_HELM_DIRECTIVE = re.compile(
    r"\{\{-?\s*(?:\.(?:Values|Release|Chart|Capabilities|Template|Files)\b|include\s|template\s|"
    r"toYaml\b|if\s|else\b|end\b|range\s|with\s|define\s|tpl\s|\$\w*\s*:=)"
)


# Only Helm has these (rendered Go templates in a ConfigMap use .Labels, $labels, range, ...).
_HELM_ONLY = re.compile(
    r"\{\{-?\s*(?:[^}]*\s)?(?:\.(?:Values|Release|Chart|Capabilities|Files)\b|include\s|"
    r"toYaml\b|tpl\s|required\s)"
)


def helm_only_line(text: str) -> int | None:
    """The first line with a Helm-only template expression (``{{ .Values.x }}``), if any."""
    match = _HELM_ONLY.search(text)
    if match is None:
        return None
    return text.count("\n", 0, match.start()) + 1


def helm_template_line(text: str) -> int | None:
    """The first line with a Helm/Go template directive (``{{ .Values.x }}``), if any."""
    match = _HELM_DIRECTIVE.search(text)
    if match is None:
        return None
    return text.count("\n", 0, match.start()) + 1


def _tab_line(text: str) -> int | None:
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t") and stripped.strip():
            return number
    return None


def _syntax_error(path: str, text: str, error: Exception) -> InputError:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    helm = helm_template_line(text) or (line if "{{" in text else None)
    if helm is not None:
        return InputError(
            path,
            "unrendered Helm template ({{ ... }}): lint the output of `helm template` "
            "(helm template . | initlint -)",
            helm,
        )
    problem = getattr(error, "problem", None) or str(error).split("\n")[0]
    at_tab = mark is not None and text[mark.index : mark.index + 1] == "\t"
    if at_tab or "\t" in str(problem) or "'\\t'" in str(problem):
        tab = _tab_line(text) or line
        return InputError(path, "tab character in indentation: YAML allows only spaces", tab)
    context = getattr(error, "context", None)
    detail = f"{problem} ({context})" if context else str(problem)
    return InputError(path, f"invalid YAML: {detail}", line)


# Scanners cost the square of the flow nesting depth (ruamel's took 20 s for 10,000 ``[``);
# the converter refuses more than 200 levels anyway, so deeper brackets are refused unread.
MAX_FLOW_DEPTH = 500
_BRACKET = re.compile(r"[\[\]{}]|^---", re.MULTILINE)


def _too_deep_flow(text: str, path: str) -> InputError | None:
    """Bracket depth counted over the raw text (quotes not parsed: an overestimate only for
    unbalanced brackets inside strings), per document."""
    depth = 0
    for match in _BRACKET.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > MAX_FLOW_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                return InputError(
                    path, f"YAML nested more than {MAX_FLOW_DEPTH} levels deep: not read", line
                )
        elif char == "---":
            depth = 0
        else:
            depth = max(0, depth - 1)
    return None


def load_documents(
    text: str, path: str, allowed_tags: frozenset[str] = frozenset()
) -> list[YDocument]:
    """Every document of ``text`` with positions; InputError for anything that is not clean YAML."""
    from initlint.sources.yaml_compose import YAMLError, compose_all, compose_all_second_opinion

    too_deep = _too_deep_flow(text, path)
    if too_deep is not None:
        raise too_deep

    body = text[1:] if text.startswith("\ufeff") else text
    try:
        documents = _convert_all(compose_all(body), path, allowed_tags)
    except InputError:
        raise
    except YAMLError as error:
        try:
            nodes = compose_all_second_opinion(body)
        except Exception:
            raise _syntax_error(path, body, error) from None
        documents = _convert_all(nodes, path, allowed_tags)
    except RecursionError:
        raise InputError(path, "YAML nested too deeply to read", None) from None
    if text.startswith("\ufeff"):
        for document in documents:
            _shift_for_bom(document.root)
    return documents


def _convert_all(nodes: Iterable[Any], path: str, allowed_tags: frozenset[str]) -> list[YDocument]:
    converter = _Converter(path, allowed_tags)
    documents: list[YDocument] = []
    for index, node in enumerate(nodes):
        if index >= MAX_DOCUMENTS:
            raise InputError(path, f"more than {MAX_DOCUMENTS} YAML documents", None)
        if node is None:
            documents.append(YDocument(None, index, 1))
            continue
        converter.budget = MAX_NODES  # per document: a long stream is no alias bomb
        root: YValue | None = converter.convert(node)
        if isinstance(root, YScalar) and root.is_null and root.tag is None:
            root = None  # an empty document (``---`` then ``---``): kubectl skips it
        documents.append(YDocument(root, index, node.start_mark.line + 1))
    return documents


def _shift_for_bom(node: YValue | None) -> None:
    """Offsets count the BOM (columns do not: SourceText treats it the same way)."""
    for each in walk(node):
        each.start = Position(each.start.offset + 1, each.start.line, each.start.column)
        each.end = Position(each.end.offset + 1, each.end.line, each.end.column)


def walk(node: YValue | None) -> Iterator[YNode]:
    """Every node once (merged entries are the nodes they were merged from)."""
    seen: set[int] = set()
    stack: list[YValue] = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, YMapping):
            for entry in current.entries:
                stack.append(entry.key)
                stack.append(entry.value)
        elif isinstance(current, YSequence):
            stack.extend(current.items)


def scalar_text(node: YValue | None) -> str | None:
    """A scalar's string value (None for null, collections and absent nodes)."""
    if isinstance(node, YScalar) and not node.is_null:
        return node.value
    return None


def describe_kind(node: YValue | None) -> str:
    if node is None:
        return "nothing"
    if isinstance(node, YMapping):
        return "a mapping"
    if isinstance(node, YSequence):
        return "a list"
    return "null" if node.is_null else f"the {node.kind} {node.value!r}"

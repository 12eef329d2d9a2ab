"""Composing YAML to a node graph with libyaml, the C parser PyYAML ships.

The node graph (scalars, sequences, mappings, each with its start and end mark: character
index, line, column) is what :mod:`initlint.sources.yaml_positions` converts. libyaml builds
it about ten times faster than a pure-Python parser, which is what makes a 10,000-document
``helm template`` stream lint in seconds; and it is the parser kubectl and docker compose
effectively use (go-yaml is a port of libyaml). Scalars are resolved with the YAML 1.2 core
schema (``on``, ``yes`` are strings), as compose-go and Kubernetes' yaml.v3-based tools read
them. Without libyaml (a PyYAML built from source without it) the same parser runs in pure
Python: slower, same results.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.resolver import BaseResolver

YAMLError = yaml.YAMLError


class _Yaml12Resolver(BaseResolver):
    """Implicit tags of the YAML 1.2 core schema (plus ``<<`` merge keys and timestamps)."""


_IMPLICIT = (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (
        "tag:yaml.org,2002:float",
        r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        "-+0123456789.",
    ),
    (
        "tag:yaml.org,2002:int",
        r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+)$""",
        "-+0123456789",
    ),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", "<"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (
        "tag:yaml.org,2002:timestamp",
        r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?
        :[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
        "0123456789",
    ),
)
for _tag, _pattern, _first in _IMPLICIT:
    _Yaml12Resolver.add_implicit_resolver(_tag, re.compile(_pattern, re.X), list(_first))

if getattr(yaml, "__with_libyaml__", False):
    from yaml._yaml import CParser

    class _Loader(CParser, _Yaml12Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Yaml12Resolver.__init__(self)

else:  # pragma: no cover - PyYAML without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Loader(Reader, Scanner, Parser, Composer, _Yaml12Resolver):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)
            _Yaml12Resolver.__init__(self)


def compose_all(text: str) -> Iterator[Any]:
    """Each document's root node (None for an empty document), in order; YAMLError for
    text that is not YAML."""
    loader = _Loader(text)
    try:
        while loader.check_node():
            yield loader.get_node()
    finally:
        loader.dispose()


def compose_all_second_opinion(text: str) -> list[Any]:
    """The same node graph from ruamel.yaml's YAML 1.2 parser, for text libyaml refused.

    libyaml stops on some plain scalars that YAML 1.2 and go-yaml accept, such as ``001:db8::``
    in a flow sequence (an IPv6 address in a Kubernetes manifest). ruamel's nodes have the
    attributes the converter reads (``id``, ``tag``, ``value``, ``style``, ``flow_style`` and
    the marks). Any error here is the caller's cue to report libyaml's own error.
    """
    from ruamel.yaml import YAML

    return list(YAML(typ="rt", pure=True).compose_all(text))

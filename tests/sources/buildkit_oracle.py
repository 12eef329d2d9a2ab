"""Our lexer and BuildKit's parser (the ``dockerfile`` package) reduced to comparable records.

A record holds what both sides can see of an instruction: the keyword (upper case), its
first and last line, exec or shell form, the arguments where both expose them, the builder
flags, the heredocs, and the ONBUILD trigger keyword.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import dockerfile

from initlint.errors import InputError
from initlint.sources.buildkit_words import name_value_words
from initlint.sources.dockerfile_syntax import Instruction, parse_dockerfile

# Instructions whose arguments BuildKit keeps as one string in shell form.
STRING_ARGS = frozenset({"CMD", "ENTRYPOINT", "RUN", "SHELL", "STOPSIGNAL", "USER", "WORKDIR"})
LIST_ARGS = frozenset({"COPY", "ADD", "VOLUME"})
# Instructions whose arguments BuildKit splits on white space (shell form).
SPLIT_ARGS = frozenset({"FROM", "EXPOSE", *LIST_ARGS})
NAME_VALUE_ARGS = frozenset({"ENV", "LABEL"})
_SEPARATOR = re.compile(r"[\t\v\f\r ]+")


@dataclass(frozen=True)
class Record:
    keyword: str
    start_line: int
    end_line: int
    json: bool
    value: tuple[str, ...] | None  # None: not compared for this instruction
    flags: tuple[str, ...]
    heredocs: tuple[tuple[str, int, str], ...] | None  # None: not compared (ONBUILD)
    trigger: str | None


@dataclass(frozen=True)
class Outcome:
    records: tuple[Record, ...] = ()
    error: str | None = None


def _value(keyword: str, json_form: bool, value: tuple[str, ...]) -> tuple[str, ...] | None:
    compared = STRING_ARGS | SPLIT_ARGS | NAME_VALUE_ARGS | {"HEALTHCHECK", "ARG", "MAINTAINER"}
    return value if keyword in compared else None


def _name_values(args: str, escape: str) -> tuple[str, ...]:
    """ENV/LABEL as BuildKit's parser returns them: key, value, key, value..."""
    words = name_value_words(args, escape)
    if not words:
        return ()
    if "=" not in words[0]:
        return tuple(_SEPARATOR.split(args, maxsplit=1))
    return tuple(part for word in words for part in word.split("=", 1))


def _our_value(instruction: Instruction, escape: str) -> tuple[str, ...]:
    keyword, args = instruction.keyword, instruction.args
    if keyword in NAME_VALUE_ARGS:
        return _name_values(args, escape)
    if keyword == "ARG":
        return tuple(name_value_words(args, escape))
    if keyword in SPLIT_ARGS and instruction.json_words is None:
        return tuple(_SEPARATOR.split(args)) if args else ()
    if instruction.keyword == "HEALTHCHECK":
        if instruction.healthcheck_type is None:
            return ()
        head = (instruction.healthcheck_type,)
        if instruction.json_words is not None:
            return head + tuple(w.value for w in instruction.json_words)
        rest = instruction.args[len(instruction.healthcheck_type) :].strip()
        return head + ((rest,) if rest else ())
    if instruction.json_words is not None:
        return tuple(w.value for w in instruction.json_words)
    return (instruction.args,) if instruction.args else ()


def ours(text: str) -> Outcome:
    try:
        syntax = parse_dockerfile(text, "Dockerfile")
    except InputError as error:
        return Outcome(error=str(error))
    records = []
    for instruction in syntax.instructions:
        subject = instruction.trigger or instruction
        json_form = subject.json_words is not None
        records.append(
            Record(
                keyword=instruction.keyword,
                start_line=instruction.span.line,
                end_line=instruction.span.end_line,
                json=json_form,
                value=_value(subject.keyword, json_form, _our_value(subject, syntax.escape)),
                flags=tuple("--" + flag.value for flag in instruction.flags),
                heredocs=None
                if instruction.keyword == "ONBUILD"
                else tuple((h.name, h.fd, h.body) for h in instruction.heredocs),
                trigger=instruction.trigger.keyword if instruction.trigger else None,
            )
        )
    return Outcome(tuple(records))


def buildkit(text: str) -> Outcome:
    try:
        commands = dockerfile.parse_string(text)
    except dockerfile.GoParseError as error:
        return Outcome(error=str(error))
    records = []
    for command in commands:
        keyword = (command.cmd or "").upper()
        sub = command.sub_cmd.upper() if command.sub_cmd else None
        subject = sub or keyword
        records.append(
            Record(
                keyword=keyword,
                start_line=command.start_line,
                end_line=command.end_line,
                json=command.json,
                value=_value(subject, command.json, tuple(command.value)),
                flags=tuple(command.flags),
                heredocs=None
                if keyword == "ONBUILD"
                else tuple((h.name, h.file_descriptor, h.content) for h in command.heredocs),
                trigger=sub,
            )
        )
    return Outcome(tuple(records))

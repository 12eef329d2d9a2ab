"""Compose variable interpolation: ``$VAR``, ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``,
``${VAR:?error}``, ``${VAR?error}``, ``${VAR:+alt}``, ``${VAR+alt}`` and ``$$`` for a dollar.

Values come from the environment, then the project's ``.env`` file (the environment wins, as in
compose). An unset variable without a default becomes the empty string (compose warns).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from initlint.reading import read_text_file

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class InterpolationError(ValueError):
    pass


def read_dotenv(folder: Path) -> dict[str, str]:
    """``KEY=value`` lines of ``folder/.env`` (quotes removed, comments and blanks skipped)."""
    found: dict[str, str] = {}
    try:
        text = read_text_file(folder / ".env", errors="replace")
    except OSError:
        return found
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        found[key.strip()] = value
    return found


def project_environment(folder: Path) -> dict[str, str]:
    return {**read_dotenv(folder), **os.environ}


def _closing_brace(text: str, start: int) -> int:
    depth = 1
    i = start
    while i < len(text):
        if text.startswith("${", i):
            depth += 1
            i += 2
            continue
        if text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise InterpolationError("a ${ has no closing }")


def interpolate(text: str, env: Mapping[str, str]) -> str:
    if "$" not in text:
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char != "$":
            out.append(char)
            i += 1
            continue
        following = text[i + 1 : i + 2]
        if following == "$":
            out.append("$")
            i += 2
        elif following == "{":
            end = _closing_brace(text, i + 2)
            out.append(_braced(text[i + 2 : end], env))
            i = end + 1
        else:
            match = _NAME.match(text, i + 1)
            if match is None:
                out.append("$")
                i += 1
                continue
            out.append(env.get(match.group(0), ""))
            i = match.end()
    return "".join(out)


def _braced(body: str, env: Mapping[str, str]) -> str:
    match = _NAME.match(body)
    if match is None:
        raise InterpolationError(f"invalid interpolation format ${{{body}}}")
    name, rest = match.group(0), body[match.end() :]
    value = env.get(name)
    if not rest:
        return value or ""
    for operator in (":-", ":?", ":+", "-", "?", "+"):
        if rest.startswith(operator):
            argument = rest[len(operator) :]
            break
    else:
        raise InterpolationError(f"invalid interpolation format ${{{body}}}")
    empty_counts = operator.startswith(":")
    missing = value is None or (empty_counts and value == "")
    kind = operator[-1]
    if kind == "-":
        return interpolate(argument, env) if missing else str(value)
    if kind == "+":
        return "" if missing else interpolate(argument, env)
    if missing:
        reason = interpolate(argument, env) or "required"
        raise InterpolationError(f"required variable {name} is missing a value: {reason}")
    return str(value)

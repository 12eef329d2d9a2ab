"""Reading an input: size limit, binary and encoding checks, each a one-line InputError."""

from __future__ import annotations

import os
from typing import BinaryIO

from initlint.discovery import Input
from initlint.errors import InputError

# Real Dockerfiles are a few kilobytes; anything this big is not one (and reading it whole
# would be the only cost that grows without bound).
MAX_INPUT_BYTES = 1024 * 1024
# Rendered manifests are bigger: a whole operator's install.yaml (argo-cd's is 1.8 MiB, and
# kubectl applies it). Compose files and manifests are read up to this size.
MAX_YAML_BYTES = 32 * 1024 * 1024
_YAML_SUFFIXES = (".yaml", ".yml")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_source(data: bytes, path: str) -> str:
    """The text of a Dockerfile; InputError for what is not UTF-8 text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, "file is UTF-16 encoded: save it as UTF-8", 1)
    nul = data.find(b"\0")
    if nul != -1:
        raise InputError(path, "binary file (NUL byte), not a Dockerfile", _line_of(data, nul))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = _line_of(data, error.start)
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise InputError(
            path,
            f"not valid UTF-8: byte 0x{data[error.start]:02x} at column {column}",
            line,
        ) from None
    if not text.strip():
        if path.endswith((".yaml", ".yml")):
            raise InputError(path, "empty file: no compose services or Kubernetes objects", 1)
        raise InputError(path, "empty file: a Dockerfile needs at least a FROM instruction", 1)
    return text


def _too_large(path: str, size: int, limit: int) -> InputError:
    what = "YAML files" if limit == MAX_YAML_BYTES else "Dockerfiles"
    return InputError(
        path,
        f"file is {size / 1024 / 1024:.1f} MiB; initlint reads {what} up to "
        f"{limit // 1024 // 1024} MiB",
        1,
    )


def _limit(item: Input) -> int:
    if item.is_stdin or item.kind == "yaml" or item.path.endswith(_YAML_SUFFIXES):
        return MAX_YAML_BYTES  # stdin: a rendered chart (helm template . | initlint -)
    return MAX_INPUT_BYTES


def read_input(item: Input, stdin: BinaryIO | None) -> str:
    limit = _limit(item)
    if item.is_stdin:
        if stdin is None:
            raise InputError(item.path, "no standard input")
        data = stdin.read(limit + 1)
        if len(data) > limit:
            raise _too_large(item.path, len(data) + len(stdin.read()), limit)
        return decode_source(data, item.path)
    try:
        with open(item.path, "rb") as handle:
            size = _file_size(handle)
            if size > limit:
                raise _too_large(item.path, size, limit)
            data = handle.read(limit + 1)
    except IsADirectoryError:
        raise InputError(item.path, "is a directory") from None
    except OSError as error:
        raise InputError(item.path, f"cannot read: {error.strerror or error}") from None
    if len(data) > limit:  # a FIFO or a file that grew while read
        raise _too_large(item.path, len(data), limit)
    return decode_source(data, item.path)


def _file_size(handle: BinaryIO) -> int:
    try:
        return os.fstat(handle.fileno()).st_size
    except OSError:
        return 0

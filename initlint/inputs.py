"""Reading one input of a run (a named file or standard input) within its size limit."""

from __future__ import annotations

import os
from typing import BinaryIO

from initlint.discovery import Input, is_dockerfile_name
from initlint.errors import InputError
from initlint.reading import (
    _CHUNK,
    MAX_DOCKERFILE_BYTES,
    MAX_YAML_BYTES,
    NotRegularFile,
    _too_large,
    decode_source,
    not_regular,
    read_regular_file,
)


def input_limit(item: Input) -> int:
    """How much of an input is read: Dockerfiles by name get their limit, the rest (YAML,
    named files of any name, stdin) the YAML one until their content says what they are."""
    if item.kind == "dockerfile" or (
        not item.is_stdin and not item.kind and is_dockerfile_name(os.path.basename(item.path))
    ):
        return MAX_DOCKERFILE_BYTES
    return MAX_YAML_BYTES


def read_input_bytes(item: Input, stdin: BinaryIO | None) -> bytes:
    """The bytes of one input, at most its limit; InputError for anything else."""
    limit = input_limit(item)
    if item.is_stdin:
        if stdin is None:
            raise InputError(item.path, "no standard input")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:  # never to the end: /dev/zero has none
            chunk = stdin.read(min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise _too_large(item.path, None, limit)
        return b"".join(chunks)
    try:
        kind = not_regular(item.path)
        if kind == "a directory":
            raise InputError(item.path, "is a directory")
        if kind is not None:
            raise InputError(item.path, f"is {kind}, not a regular file: not read")
        size = os.stat(item.path).st_size
        if size > limit:
            raise _too_large(item.path, size, limit)
        data = read_regular_file(item.path, limit)
    except NotRegularFile as error:
        raise InputError(item.path, f"is {error.kind}, not a regular file: not read") from None
    except IsADirectoryError:
        raise InputError(item.path, "is a directory") from None
    except OSError as error:
        raise InputError(item.path, f"cannot read: {error.strerror or error}") from None
    if len(data) > limit:  # a file that grew while read
        raise _too_large(item.path, len(data), limit)
    return data


def read_input(item: Input, stdin: BinaryIO | None) -> str:
    return decode_source(read_input_bytes(item, stdin), item.path)

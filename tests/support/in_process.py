"""Run the ``initlint`` command in this process, as a user runs it.

The real parser and command (``initlint.cli.run_command``, what the console script runs under
its last-resort handlers) with standard input, output and error replaced by in-memory files
that have a bytes ``buffer`` (the pipeline reads ``sys.stdin.buffer``), and ``env`` set for the
run. An exception initlint lets escape is raised again, with its traceback, for the test to
show.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import IO, NamedTuple


class Outcome(NamedTuple):
    exit_code: int
    stdout: str
    stderr: str


@contextmanager
def _environment(env: Mapping[str, str | None]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in env}

    def apply(values: Mapping[str, str | None]) -> None:
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

    apply(env)
    try:
        yield
    finally:
        apply(saved)


def _exit_code(status: object) -> int:
    if status is None:
        return 0
    if isinstance(status, int):
        return status
    sys.stderr.write(f"{status}\n")  # sys.exit("text"): Python prints it and exits 1
    return 1


def run_initlint(
    args: Sequence[str],
    stdin: bytes | str | IO[bytes] | None = None,
    env: Mapping[str, str | None] | None = None,
) -> Outcome:
    """``initlint ARGS`` with ``stdin`` (text is UTF-8 encoded; None: empty)."""
    from initlint.cli import run_command

    if stdin is None or isinstance(stdin, (bytes, str)):
        data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin or b""
        source: IO[bytes] = io.BytesIO(data)
    else:
        source = stdin
    out, err = io.BytesIO(), io.BytesIO()
    streams = (
        io.TextIOWrapper(source, encoding="utf-8"),
        io.TextIOWrapper(out, encoding="utf-8"),
        io.TextIOWrapper(err, encoding="utf-8"),
    )
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = streams
    try:
        with _environment(env or {}):
            try:
                code = run_command(list(args))
            except SystemExit as exit:
                code = _exit_code(exit.code)
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        for stream in streams:
            if stream is not streams[0]:
                stream.flush()
            stream.detach()  # keep the buffers open: they are read below, or the caller's
    return Outcome(
        code,
        out.getvalue().decode("utf-8", "replace"),
        err.getvalue().decode("utf-8", "replace"),
    )

"""Errors that end the linting of one input with a one-line message (exit code 2)."""

from __future__ import annotations


class InputError(Exception):
    """An input initlint cannot read or parse: reported as ``path:line: error: message``."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.message = message

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str, int | None]]:
        # rebuilt from its own fields when a worker process hands it back
        return (type(self), (self.path, self.message, self.line))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: error: {self.message}"

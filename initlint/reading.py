"""Reading an input: file type, size limits, binary and encoding checks, each a one-line
InputError.

Nothing here ever blocks: a FIFO, a device or a socket is never opened for reading (its
type is checked before the open, and again on the open descriptor, which is opened with
``O_NONBLOCK`` so that a FIFO swapped in between cannot hang the run), and standard input is
read only up to the limit, never to its end.
"""

from __future__ import annotations

import errno
import os
import re
import stat

from initlint.errors import InputError

# Real Dockerfiles are a few kilobytes; anything this big is not one (and reading it whole
# would be the only cost that grows without bound).
# how reports name standard input (initlint.discovery uses the same name)
STDIN_PATH = "<stdin>"
MAX_INPUT_BYTES = 1024 * 1024
MAX_DOCKERFILE_BYTES = MAX_INPUT_BYTES
# Rendered Helm charts and kustomize output run to several MiB (CRDs especially). Loading
# YAML costs about 40 bytes of memory per byte of input (measured: a 16 MiB stream of 10,000
# Deployments peaks at about 700 MiB RSS), so 16 MiB is the bound.
MAX_YAML_BYTES = 16 * 1024 * 1024
_CHUNK = 1024 * 1024

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def file_type(mode: int) -> str:
    """What a file that is not a regular file is, in words ("a FIFO (named pipe)")."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def not_regular(path: str) -> str | None:
    """Why ``path`` must not be opened (a FIFO, device, socket, folder), or None.

    A path that cannot be stat'ed gives None: opening it reports the real error.
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    return None if stat.S_ISREG(mode) else file_type(mode)


def read_regular_file(path: str, limit: int) -> bytes:
    """Up to ``limit`` + 1 bytes of a regular file; OSError for anything else.

    Raises ``NotRegularFile`` (an OSError) for FIFOs, devices, sockets and folders: they
    are never opened for reading, so nothing can block.
    """
    kind = not_regular(path)
    if kind is not None:
        raise NotRegularFile(path, kind)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):  # swapped in since the stat above
            raise NotRegularFile(path, file_type(mode))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(limit + 1)
    finally:
        os.close(fd)


class NotRegularFile(OSError):
    def __init__(self, path: str, kind: str) -> None:
        super().__init__(errno.EINVAL, f"is {kind}, not a regular file", path)
        self.path = path
        self.kind = kind


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


_ESCAPED = "[\udc80-\udcff]"  # compiled on first use (re's cache): only for bytes not UTF-8


def _bad_byte_outside_comments(text: str, comments_ok: bool) -> tuple[int, int, int] | None:
    """Line, byte column and value of the first byte that is not UTF-8 (carried as a
    surrogate escape in ``text``), skipping comment lines when ``comments_ok``."""
    number, counted_to, line_end = 1, 0, -1
    for match in re.finditer(_ESCAPED, text):
        at = match.start()
        if at < line_end:
            continue  # on a comment line already judged
        number += text.count("\n", counted_to, at)
        counted_to = at
        line_start = text.rfind("\n", 0, at) + 1
        line_end = text.find("\n", at)
        line_end = len(text) if line_end == -1 else line_end
        if comments_ok and text[line_start:line_end].lstrip(" \t").startswith("#"):
            continue
        column = len(text[line_start:at].encode("utf-8", "surrogateescape")) + 1
        return number, column, ord(match.group()) - 0xDC00
    return None


def decode_source(data: bytes, path: str) -> str:
    """The text of an input; InputError for what is not UTF-8 text.

    In a Dockerfile, bytes that are not UTF-8 are accepted in comments, as BuildKit accepts
    them (a Latin-1 ``é`` in a comment): they are carried as surrogate escapes, so a fix
    writes them back as the bytes they were.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, "file is UTF-16 encoded: save it as UTF-8", 1)
    nul = data.find(b"\0")
    if nul != -1:
        raise InputError(path, "binary file (NUL byte), not a Dockerfile", _line_of(data, nul))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="surrogateescape")
        bad = _bad_byte_outside_comments(text, not path.endswith((".yaml", ".yml")))
        if bad is not None:
            line, column, value = bad
            raise InputError(
                path, f"not valid UTF-8: byte 0x{value:02x} at column {column}", line
            ) from None
    if not text.strip():
        if path.endswith((".yaml", ".yml")):
            raise InputError(path, "empty file: no compose services or Kubernetes objects", 1)
        raise InputError(path, "empty file: a Dockerfile needs at least a FROM instruction", 1)
    return text


def _too_large(path: str, size: int | None, limit: int) -> InputError:
    what = "input" if path == STDIN_PATH else "file"
    if limit == MAX_DOCKERFILE_BYTES:
        allowed = f"initlint reads Dockerfiles up to {_mib(limit)}"
    else:
        allowed = f"initlint reads YAML up to {_mib(limit)} (Dockerfiles up to 1 MiB)"
    if size is None:
        return InputError(path, f"{what} is over {_mib(limit)}; {allowed}: stopped reading", 1)
    return InputError(path, f"{what} is {_mib(size)}; {allowed}", 1)


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB" if size % (1024 * 1024) else f"{size >> 20} MiB"


def check_dockerfile_size(path: str, text: str, size: int | None = None) -> None:
    """A Dockerfile (decided from its content) over the Dockerfile limit is refused."""
    if len(text) > MAX_DOCKERFILE_BYTES:
        measured = size if size is not None else len(text.encode("utf-8", "surrogateescape"))
        if measured > MAX_DOCKERFILE_BYTES:
            raise _too_large(path, measured, MAX_DOCKERFILE_BYTES)


def read_text_file(
    path: str | os.PathLike[str], limit: int = MAX_YAML_BYTES, errors: str = "strict"
) -> str:
    """``Path.read_text`` for the files an input refers to (compose ``include``, ``.env``,
    a service's Dockerfile): only a regular file is opened, at most ``limit`` bytes, and
    line endings are kept. OSError (``NotRegularFile`` for a FIFO) or UnicodeDecodeError."""
    data = read_regular_file(os.fspath(path), limit)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"file is over {_mib(limit)}")
    return data.decode("utf-8", errors)

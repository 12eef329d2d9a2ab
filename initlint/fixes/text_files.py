"""Reading the other files a fix edits or checks (scripts, .dockerignore, the vendored init):
only regular files are opened, so a FIFO there never blocks ``--fix``, and the text keeps its
line endings (no newline translation), so a rewritten file keeps them too."""

from __future__ import annotations

from initlint.fixes.plan import NoFix

MAX_FIX_FILE_BYTES = 1024 * 1024


def read_for_fix(path: str, errors: str = "strict") -> str | NoFix | None:
    """The text of ``path``; None when it does not exist; NoFix (naming the file) when it
    cannot be used: not a regular file, unreadable, too big, or (``errors="strict"``) not
    UTF-8. With ``"surrogateescape"`` bytes that are not UTF-8 are written back as they
    were; ``"replace"`` is for text that is only compared, never written back."""
    from initlint.reading import NotRegularFile, read_regular_file

    try:
        data = read_regular_file(path, MAX_FIX_FILE_BYTES)
    except FileNotFoundError:
        return None
    except NotRegularFile as error:
        return NoFix(f"{path} is {error.kind}, not a regular file: left alone")
    except OSError as error:
        return NoFix(f"cannot read {path}: {error.strerror or error}")
    if len(data) > MAX_FIX_FILE_BYTES:
        return NoFix(f"{path} is over {MAX_FIX_FILE_BYTES // 1024 // 1024} MiB: left alone")
    try:
        return data.decode("utf-8", errors=errors)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return NoFix(f"{path} is not UTF-8 (line {line}): left alone")

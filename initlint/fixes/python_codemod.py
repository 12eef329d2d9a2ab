"""The "handle signals in the application" fix for Python (IL202, unsafe): a libcst codemod
that makes SIGTERM raise SystemExit in the entry file, so ``finally`` blocks and ``atexit``
run and the process exits 143 (128 + SIGTERM) instead of being SIGKILLed after the grace
period.

libcst keeps every other byte of the file (comments, quotes, blank lines). The handler goes
after the module docstring, ``from __future__`` imports and the other top-level imports,
so it is installed before the app starts serving.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from initlint.fixes.plan import FileWrite, FixPlan, NoFix
from initlint.model import AddSigtermHandler

if TYPE_CHECKING:
    import libcst as cst

HANDLER_NAME = "_initlint_sigterm_to_exit"
HANDLER_SOURCE = f"""

def {HANDLER_NAME}(signum, frame):  # added by initlint (IL202): SIGTERM stops the app
    raise SystemExit(128 + signum)


_initlint_signal.signal(_initlint_signal.SIGTERM, {HANDLER_NAME})
"""
IMPORT_SOURCE = "import signal as _initlint_signal\n"


def add_sigterm_handler(source: str) -> str | None:
    """``source`` with the handler added; None when it has one already or cannot be parsed."""
    import libcst as cst  # only this fix pays for libcst's import

    if HANDLER_NAME in source:
        return None
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError:
        return None
    index = _insertion_index(module)
    handler = cst.parse_module(IMPORT_SOURCE + HANDLER_SOURCE).body
    body = [*module.body[:index], *handler, *module.body[index:]]
    return module.with_changes(body=body).code


def _insertion_index(module: cst.Module) -> int:
    """After the docstring and the leading block of imports (top-level only)."""
    import libcst as cst

    index = 0
    for position, statement in enumerate(module.body):
        if not isinstance(statement, cst.SimpleStatementLine):
            break
        first = statement.body[0] if statement.body else None
        is_docstring = (
            position == 0
            and isinstance(first, cst.Expr)
            and isinstance(first.value, (cst.SimpleString, cst.ConcatenatedString))
        )
        if is_docstring or isinstance(first, (cst.Import, cst.ImportFrom)):
            index = position + 1
            continue
        break
    return index


def plan_sigterm_handler(intent: AddSigtermHandler) -> FixPlan | NoFix:
    from initlint.fixes.text_files import read_for_fix

    path = Path(intent.path)
    source = read_for_fix(str(path))  # bytes as they are: CRLF stays CRLF
    if source is None:
        return NoFix(f"{path} does not exist")
    if isinstance(source, NoFix):
        return source
    try:
        fixed = add_sigterm_handler(source)
    except ImportError:
        return NoFix("this fix needs libcst (pip install libcst)")
    if fixed is None:
        return NoFix(f"{path} already has initlint's handler or cannot be parsed")
    mode = path.stat().st_mode & 0o7777
    return FixPlan((), (FileWrite(str(path), fixed, mode),), note=str(path))

"""Running one hostile-input case: the real command and rules, in-process, under bounds.

Each case runs with a wall-clock bound (SIGALRM) and an address-space bound (RLIMIT_AS:
what the process already maps plus ``MEMORY_BOUND``); going over either fails the case (a
MemoryError inside initlint would also show as an "internal error"). Cases that need a real
process (endless standard input from /dev/zero, a FIFO) run as one under the same limits.
"""

from __future__ import annotations

import os
import re
import resource
import signal
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from tests.support.in_process import run_initlint

TIME_BOUND = 60.0  # seconds: generous, a hang shows as a failure, not as a stuck suite
MEMORY_BOUND = 2 * 1024**3  # bytes of address space a case may add


class CaseTimeout(BaseException):
    """Not an Exception: initlint's own ``except Exception`` must not swallow it."""


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


@dataclass
class FixCheck:
    """What ``--fix`` must keep: ``target`` is the file (or link) named on the command line."""

    target: str
    changed: bytes = rb"^\s*(CMD|ENTRYPOINT|COPY|command|init|- )"  # lines it may replace
    wrote: bool = True  # False: nothing may change (a refusal)
    created: tuple[str, ...] = ()  # files it must create


@dataclass
class Case:
    id: str
    build: Callable[[Path], None]
    args: list[str]
    exit_code: int
    stderr: list[str] = field(default_factory=list)  # regexes, one per stderr line, in order
    stdout: str | None = None  # regex searched in stdout
    stdin: bytes | str | None = None  # bytes, or a path to read stdin from ("/dev/zero")
    env: dict[str, str] = field(default_factory=dict)
    subprocess: bool = False
    fix: FixCheck | None = None


def _address_space() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


@contextmanager
def bounded(seconds: float = TIME_BOUND, memory: int = MEMORY_BOUND) -> Iterator[None]:
    def on_alarm(_signum: int, _frame: object) -> None:
        raise CaseTimeout(f"the case ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space() + memory
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard < 0 else min(limit, hard), hard))
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def run_in_process(case: Case, cwd: Path) -> Result:
    stdin: bytes | IO[bytes] | None
    handle: IO[bytes] | None = None
    if isinstance(case.stdin, str):
        handle = stdin = open(case.stdin, "rb")  # noqa: SIM115 - closed below
    else:
        stdin = case.stdin
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        with bounded():
            outcome = run_initlint(case.args, stdin=stdin, env=case.env)
    except Exception as error:
        raise AssertionError(f"{case.id}: exception escaped: {error!r}") from error
    finally:
        os.chdir(previous)
        if handle is not None:
            handle.close()
    return Result(*outcome)


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))
    resource.setrlimit(resource.RLIMIT_CPU, (int(TIME_BOUND), int(TIME_BOUND) + 5))


def run_subprocess(case: Case, cwd: Path) -> Result:
    stdin = open(case.stdin, "rb") if isinstance(case.stdin, str) else subprocess.DEVNULL  # noqa: SIM115
    try:
        done = subprocess.run(
            [sys.executable, "-m", "initlint", *case.args],
            cwd=cwd,
            stdin=stdin,
            capture_output=True,
            timeout=TIME_BOUND * 2,
            preexec_fn=_limits,
            env={**os.environ, **case.env},
            check=False,
        )
    finally:
        if not isinstance(stdin, int):
            stdin.close()
    return Result(
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


def run(case: Case, cwd: Path) -> Result:
    return run_subprocess(case, cwd) if case.subprocess else run_in_process(case, cwd)


def check_output(case: Case, result: Result) -> None:
    both = result.stdout + result.stderr
    assert "Traceback" not in both, both
    assert "internal error" not in both, both
    assert result.exit_code == case.exit_code, (result.exit_code, result.stderr, result.stdout)
    lines = result.stderr.splitlines()
    assert len(lines) == len(case.stderr), result.stderr
    for line, expected in zip(lines, case.stderr):
        assert re.fullmatch(expected, line), (expected, line)
    if case.stdout is not None:
        assert re.search(case.stdout, result.stdout, re.MULTILINE), result.stdout


# --- --fix: what must not change -------------------------------------------------------------

Entry = tuple[str, object, int, int, int, int]


def snapshot(folder: Path) -> dict[str, Entry]:
    """Every path under ``folder``: kind, content or link target, mode, owner, group, inode."""
    found: dict[str, Entry] = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        content: object
        if stat.S_ISLNK(info.st_mode):
            kind, content = "link", os.readlink(path)
        elif stat.S_ISREG(info.st_mode) and info.st_size > 64 * 1024 * 1024:
            kind, content = "file", ("large", info.st_size, info.st_mtime_ns)  # sparse, unread
        elif stat.S_ISREG(info.st_mode):
            kind, content = "file", path.read_bytes()
        else:
            kind, content = stat.filemode(info.st_mode)[0], None
        relative = str(path.relative_to(folder))
        found[relative] = (kind, content, stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid,
                           info.st_ino)  # fmt: skip
    return found


def check_fix(check: FixCheck, folder: Path, before: dict[str, Entry]) -> None:
    after = snapshot(folder)
    if not check.wrote:
        assert after == before, "a refused or failed fix changed files"
        return
    for name in check.created:
        assert name in after and name not in before, name
    for name, old in before.items():
        new = after.get(name)
        assert new is not None, f"{name} disappeared"
        kind, content, mode, uid, gid, inode = old
        assert new[0] == kind, f"{name}: a {kind} became a {new[0]}"
        assert new[2:5] == (mode, uid, gid), f"{name}: mode/owner {old[2:5]} -> {new[2:5]}"
        if kind == "link":
            assert new[1] == content, f"{name}: the link was changed"
        if kind == "file" and new[1] != content:
            _check_edit(name, content, new[1], check)  # type: ignore[arg-type]
        if kind == "file" and new[1] == content:
            assert new[5] == inode, f"{name}: rewritten although unchanged"
    target = folder / check.target
    fixed = target.read_bytes()
    original = _content_through_links(before, folder, check.target)
    assert fixed != original, "the fix changed nothing"


def _content_through_links(before: dict[str, Entry], folder: Path, name: str) -> bytes:
    entry = before[name]
    while entry[0] == "link":
        name = os.path.normpath(os.path.join(os.path.dirname(name), str(entry[1])))
        entry = before[name]
    content = entry[1]
    assert isinstance(content, bytes)
    return content


def _check_edit(name: str, old: bytes, new: bytes, check: FixCheck) -> None:
    import difflib

    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, a1, a2, _b1, _b2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            for index in range(a1, a2):
                line = old_lines[index]
                if re.match(check.changed, line):
                    continue
                # a last line without a line break gets one before an appended line
                last = index == len(old_lines) - 1 and not line.endswith(b"\n")
                assert last and line + _eol(old) in new_lines, f"{name}: line {line!r} changed"
    eol = _eol(old)
    for line in new_lines:
        if line.endswith(b"\n"):
            assert line.endswith(eol), f"{name}: {line!r} does not end with {eol!r}"
    assert new.endswith(b"\n") == old.endswith(b"\n") or not old.endswith(b"\n")


def _eol(text: bytes) -> bytes:
    first = text.find(b"\n")
    return b"\r\n" if first > 0 and text[first - 1 : first] == b"\r" else b"\n"

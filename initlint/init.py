#!/usr/bin/env python3
"""initlint-init: a small init (PID 1) for containers, in pure Python.

It runs one program, forwards the signals it receives to it, reaps every
zombie re-parented to it and exits with the program's status (128+N when the
program died of signal N, 127/126 when it could not be executed).

    python3 -I -S /usr/local/bin/initlint-init [OPTIONS] -- PROGRAM [ARGS...]

Self-contained on purpose: standard library only, Python 3.8 or newer, no
import from initlint, so this one file can be copied into an image as is.
Under the name `tini` it takes tini's command line; under the name
`dumb-init` it behaves like dumb-init (new session, signals to the group).

Python compiles a script given by path on every start: 4-10 ms for this file,
most of this init's start-up cost. For the fastest start let Python cache the
bytecode: import the file as a module, its __pycache__ written once at build
time (a stale cache is simply recompiled), and run it with
    python3 -I -S -c "import sys; sys.path[:0] = ['/usr/local/lib/initlint'];
    import initlint_init; initlint_init.run_as_program()" -- PROGRAM [ARGS...]
"""

from __future__ import annotations

import errno
import posix  # the C half of `os`: importing `os` itself costs ~2.5 ms of start-up
import sys

# `import signal` wraps the C module in enums and costs ~3 ms of start-up, a
# third of the interpreter's own; the C module `_signal` has the same API.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import signal as _signal
    from typing import NoReturn
else:
    import _signal

NAME = "initlint-init"
# The one version source is initlint/__init__.py: a vendored copy has it stamped in here
# (initlint --print-init); run from the package, it is read from the file beside this one.
_STAMPED_VERSION = ""


def package_version() -> str:
    if _STAMPED_VERSION:
        return _STAMPED_VERSION
    path = __file__
    for _ in range(40):  # a link named tini or dumb-init: the package is beside its target
        try:
            target = posix.readlink(path)
        except OSError:
            break
        path = target if target.startswith("/") else f"{path.rpartition('/')[0] or '.'}/{target}"
    folder = path.rpartition("/")[0] or "."
    try:
        fd = posix.open(f"{folder}/__init__.py", posix.O_RDONLY)
        try:
            text = posix.read(fd, 4096).decode("utf-8", "replace")
        finally:
            posix.close(fd)
    except OSError:
        return "unknown"
    for line in text.splitlines():
        if line.startswith("__version__ = "):
            return line.partition("=")[2].strip().strip("\"'")
    return "unknown"


def __getattr__(name: str) -> str:  # ``initlint.init.VERSION``, computed when asked for
    if name == "VERSION":
        return package_version()
    raise AttributeError(name)


LICENSE = """\
MIT License

Copyright (c) 2026 the initlint authors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""

USAGE = """\
Usage: {prog} [OPTIONS] [--] PROGRAM [ARGS...]

Run PROGRAM as the child of a minimal init: forward signals to it, reap
zombies, exit with its status (128+N if it died of signal N).

Options:
  -g                   send signals to the child's process group
  -r, --rewrite S:R    forward signal S as R (R=0: do not forward S); repeatable
  -e CODE              exit 0 when the child exits with CODE; repeatable
  -p SIGNAL            have SIGNAL sent to this init when its parent dies
  -s                   accepted for tini; a subreaper is registered anyway when not PID 1
  -c, --single-child   (dumb-init) no new session, signals to the child only
  --grace SECONDS      when the child is gone, SIGTERM the remaining processes
                       and wait up to SECONDS for them before exiting
  -w                   warn about every zombie reaped
  -v, --verbose        more log output on stderr; repeatable
  -l, --license        print the license and exit
  -V, --version        print the version and exit
  -h, --help           print this help and exit

Environment: TINI_SUBREAPER, TINI_KILL_PROCESS_GROUP, TINI_VERBOSITY,
DUMB_INIT_SETSID=0, DUMB_INIT_DEBUG=1.
"""

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36

# The job-control signals dumb-init answers by stopping itself.
TTY_STOP_SIGNALS = (_signal.SIGTSTP, _signal.SIGTTIN, _signal.SIGTTOU)


class UsageError(Exception):
    """A bad command line: reported in one line, exit status 1 (as tini and dumb-init)."""


class Options:
    """What the command line and the environment asked for."""

    def __init__(self, mode: str) -> None:
        self.mode = mode  # "initlint-init", "tini" or "dumb-init": the name we were run under
        self.verbosity = 1  # 0 errors, 1 warnings, 2 info, 3 debug
        self.to_group = False  # forward to the child's process group, not just the child
        self.new_session = False  # child calls setsid (dumb-init) instead of setpgid
        self.new_group = True  # child gets its own process group
        self.stop_on_tty_signals = False  # dumb-init: stop ourselves after SIGTSTP/TTIN/TTOU
        self.warn_on_reap = False
        self.parent_death_signal = 0
        self.grace: float | None = None
        self.expected_codes: set[int] = set()
        self.rewrite: dict[int, int] = {}
        self.command: list[str] = []
        self.action = "run"  # or "help", "version", "license"


def _log(opts: Options, level: int, message: str) -> None:
    if opts.verbosity < level:
        return
    try:  # noqa: SIM105 (contextlib.suppress costs ~2 ms of start-up here and below)
        posix.write(2, f"[{opts.mode} {posix.getpid()}] {message}\n".encode(errors="replace"))
    except OSError:  # stderr closed or a broken pipe: logging must never stop the init
        pass


def signal_number(text: str) -> int:
    """Parse `15`, `TERM`, `SIGTERM`, `sigterm`, `RTMIN+2` or `SIGRTMAX-1`."""
    number = _signal_number(text)
    if not 1 <= number <= int(_signal.SIGRTMAX):
        raise ValueError(text)
    return number


def _signal_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    name = text.upper()
    if not name.startswith("SIG"):
        name = "SIG" + name
    for base in ("SIGRTMIN", "SIGRTMAX"):
        if name.startswith(base):
            offset = name[len(base) :]
            number = int(getattr(_signal, base))
            if not offset:
                return number
            if offset[0] in "+-" and offset[1:].isdigit():
                return number + int(offset)
            raise ValueError(text)
    value = getattr(_signal, name, None)
    if not isinstance(value, int) or name.startswith("SIG_"):
        raise ValueError(text)
    return int(value)


def signal_name(number: int) -> str:
    for name in dir(_signal):
        if (
            name.startswith("SIG")
            and not name.startswith("SIG_")
            and name not in ("SIGRTMIN", "SIGRTMAX", "SIGIOT", "SIGPOLL", "SIGCLD")
            and getattr(_signal, name) == number
        ):
            return name
    rtmin = int(_signal.SIGRTMIN)
    if rtmin <= number <= int(_signal.SIGRTMAX):
        return f"SIGRTMIN+{number - rtmin}"
    return f"signal {number}"


def _parse_rewrite(opts: Options, text: str) -> None:
    source, sep, target = text.partition(":")
    try:
        if not sep:
            raise ValueError(text)
        opts.rewrite[signal_number(source)] = 0 if target == "0" else signal_number(target)
    except ValueError:
        message = f"-r takes S:R, signal names or numbers (R=0 drops S), not {text!r}"
        raise UsageError(message) from None


def _apply_option(opts: Options, option: str, value: str | None) -> None:
    if option in ("-h", "--help"):
        opts.action = "help"
    elif option in ("-V", "--version"):
        opts.action = "version"
    elif option in ("-l", "--license"):
        opts.action = "license"
    elif option in ("-v", "--verbose"):
        # dumb-init has one level of verbosity: its debug output
        opts.verbosity = 3 if opts.mode == "dumb-init" else opts.verbosity + 1
    elif option == "-g":
        opts.to_group = True
    elif option == "-s":
        pass  # always a subreaper when not PID 1; kept so tini command lines still parse
    elif option == "-w":
        opts.warn_on_reap = True
    elif option in ("-c", "--single-child"):
        opts.new_session = opts.to_group = opts.stop_on_tty_signals = False
        opts.new_group = opts.mode != "dumb-init"  # dumb-init -c leaves the child in our group
    elif option in ("-r", "--rewrite"):
        _parse_rewrite(opts, value or "")
    elif option == "-e":
        if not (value or "").isdigit() or int(value or "") > 255:
            raise UsageError(f"-e takes an exit code from 0 to 255, not {value!r}")
        opts.expected_codes.add(int(value or ""))
    elif option == "-p":
        try:
            opts.parent_death_signal = signal_number(value or "")
        except ValueError:
            raise UsageError(f"-p takes a signal name or number, not {value!r}") from None
    elif option == "--grace":
        try:
            opts.grace = float(value or "")
        except ValueError:
            opts.grace = -1.0
        if not opts.grace >= 0:  # also rejects nan
            raise UsageError(f"--grace takes a number of seconds, not {value!r}")
    else:
        raise UsageError(f"unknown option {option}")


_FLAGS = frozenset("hVlvgswc")
_WITH_VALUE = frozenset("rep")
_LONG = {
    "--help": False,
    "--version": False,
    "--license": False,
    "--verbose": False,
    "--single-child": False,
    "--rewrite": True,
    "--grace": True,
}


def parse_command_line(args: list[str], mode: str, environ: dict[str, str]) -> Options:
    """Options stop at `--` or at the first word that is not an option: the program."""
    opts = Options(mode)
    if mode == "dumb-init":
        opts.new_session = opts.to_group = opts.stop_on_tty_signals = True
        opts.new_group = False
        opts.verbosity = 0
    index = 0
    while index < len(args):
        word = args[index]
        index += 1
        if word == "--":
            break
        if word.startswith("--"):
            option, sep, value = word.partition("=")
            if option not in _LONG:
                raise UsageError(f"unknown option {option}")
            if _LONG[option] and not sep:
                if index >= len(args):
                    raise UsageError(f"{option} needs a value")
                value, index = args[index], index + 1
            elif not _LONG[option] and sep:
                raise UsageError(f"{option} takes no value")
            _apply_option(opts, option, value if _LONG[option] else None)
            continue
        if not word.startswith("-") or word == "-":
            index -= 1
            break
        letters = word[1:]
        while letters:
            letter, letters = letters[0], letters[1:]
            if letter in _FLAGS:
                _apply_option(opts, "-" + letter, None)
            elif letter in _WITH_VALUE:
                if not letters:  # `-e 3`, else `-e3`
                    if index >= len(args):
                        raise UsageError(f"-{letter} needs a value")
                    letters, index = args[index], index + 1
                _apply_option(opts, "-" + letter, letters)
                letters = ""
            else:
                raise UsageError(f"unknown option -{letter}")
    opts.command = args[index:]
    _apply_environment(opts, environ)
    if opts.action == "run" and not opts.command:
        raise UsageError("no program to run")
    return opts


def _apply_environment(opts: Options, environ: dict[str, str]) -> None:
    # tini reads these after its options, so they win; setting them at all is what counts
    if "TINI_KILL_PROCESS_GROUP" in environ:
        opts.to_group = True
    verbosity = environ.get("TINI_VERBOSITY", "")
    if verbosity.isdigit():
        opts.verbosity = int(verbosity)
    if opts.mode == "dumb-init":
        if environ.get("DUMB_INIT_DEBUG") == "1":
            opts.verbosity = 3
        if environ.get("DUMB_INIT_SETSID") == "0":
            _apply_option(opts, "-c", None)
    if opts.stop_on_tty_signals:
        # the child's new session has no terminal that could stop it: send it SIGSTOP instead
        for tty_signal in TTY_STOP_SIGNALS:
            opts.rewrite.setdefault(int(tty_signal), int(_signal.SIGSTOP))


def _prctl(option: int, value: int) -> str | None:
    """prctl(2); returns an error text or None. Only needed outside PID 1 or with -p, so
    imported lazily, and through `_ctypes` directly: the `ctypes` package on top of it
    costs ~5 ms more start-up. It stays the fallback should a Python drop `_ctypes`'s
    call_function (present from 3.8 to 3.13)."""
    try:
        import _ctypes

        # dlopen(NULL): the symbols of the running program and its libraries, libc included
        prctl = _ctypes.dlsym(_ctypes.dlopen(None), "prctl")  # type: ignore[arg-type]
        call_function = _ctypes.call_function
    except (ImportError, AttributeError, OSError):
        return _prctl_through_ctypes(option, value)
    return None if call_function(prctl, (option, value, 0, 0, 0)) == 0 else "prctl failed"


def _prctl_through_ctypes(option: int, value: int) -> str | None:
    try:
        import ctypes
    except ImportError:  # Pythons built without libffi have no ctypes at all
        return "ctypes is not available"
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0) != 0:
        return posix.strerror(ctypes.get_errno())
    return None


def _detach_from_terminal(opts: Options) -> set[int]:
    """dumb-init mode: give up our controlling terminal so the child's new session can
    take it. Returns the signals the kernel sends us for it, to be ignored once."""
    import fcntl
    import termios

    try:
        fcntl.ioctl(0, termios.TIOCNOTTY)
    except OSError as error:
        _log(opts, 3, f"cannot detach from the terminal: {error.strerror}")
        return set()
    if posix.getsid(0) == posix.getpid():
        # a session leader that drops its terminal makes the kernel send SIGHUP and
        # SIGCONT to the foreground group, us included: they are not for the child
        return {int(_signal.SIGHUP), int(_signal.SIGCONT)}
    return set()


def _execvp(command: list[str]) -> int:
    """execvp(3) as C has it: PATH search, EACCES remembered while searching on, and a
    file without #! run by /bin/sh (os.execvp does not). Returns an errno on failure."""
    program = command[0]
    if not program:
        return errno.ENOENT  # as execvp(3) says for an empty name
    if "/" in program:
        candidates = [program]
    else:
        path = posix.environ.get(b"PATH", b"/bin:/usr/bin").decode(errors="surrogateescape")
        candidates = [f"{folder or '.'}/{program}" for folder in path.split(":")]
    error = 0
    for candidate in candidates:
        try:
            posix.execv(candidate, [program, *command[1:]])
        except OSError as exc:
            if exc.errno == errno.ENOEXEC:  # a file with no #! line is a shell script
                try:
                    posix.execv("/bin/sh", ["/bin/sh", candidate, *command[1:]])
                except OSError:
                    return exc.errno
            if exc.errno == errno.EACCES:  # a later PATH entry may still be runnable
                error = errno.EACCES
            elif exc.errno not in (errno.ENOENT, errno.ENOTDIR):  # anything else ends the search
                return exc.errno or 0
            elif not error:
                error = exc.errno
    return error


def _child(opts: Options, inherited_mask: set[int], take_terminal: bool) -> NoReturn:
    """In the forked child: set up, exec, or exit 127/126 with a one-line message."""
    try:
        code, message = _exec_program(opts, inherited_mask, take_terminal)
    except OSError as error:  # setsid/setpgid refused: the child cannot run as asked
        code, message = 126, f"cannot set up the child process: {error.strerror}"
    except BaseException:  # never let the child return into the init's loop
        posix._exit(126)
    try:  # noqa: SIM105
        posix.write(2, f"{opts.mode}: {message}\n".encode(errors="replace"))
    except OSError:
        pass  # no stderr: the exit status still tells
    posix._exit(code)


def _exec_program(opts: Options, inherited_mask: set[int], take_terminal: bool) -> tuple[int, str]:
    """Runs with every signal still blocked, so nothing can interrupt the set-up. Returns
    only if the exec failed: (exit code, message)."""
    if opts.new_session:
        posix.setsid()
        if take_terminal:
            import fcntl
            import termios

            try:  # noqa: SIM105
                fcntl.ioctl(0, termios.TIOCSCTTY, 0)
            except OSError:
                pass  # the terminal belongs to another session: run without one
    elif opts.new_group:
        posix.setpgid(0, 0)
        if take_terminal:
            # allowed from the background because SIGTTOU is blocked here
            try:  # noqa: SIM105
                posix.tcsetpgrp(0, posix.getpgrp())
            except OSError:
                pass  # stdin is a terminal but not ours: nothing to hand over
    # Python ignores SIGPIPE and SIGXFSZ at start-up and an ignore survives exec:
    # the program gets the default a C init would have passed on.
    _signal.signal(_signal.SIGPIPE, _signal.SIG_DFL)
    _signal.signal(_signal.SIGXFSZ, _signal.SIG_DFL)
    # Python's SIGINT handler would swallow a SIGINT arriving between the unblock
    # and the exec; SIG_DFL is what exec would leave anyway (an inherited ignore stays).
    if _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:
        _signal.signal(_signal.SIGINT, _signal.SIG_DFL)
    _signal.pthread_sigmask(_signal.SIG_SETMASK, inherited_mask)
    error = _execvp(opts.command)
    # the shell's convention: 127 not found, 126 found but not runnable
    code = 127 if error in (errno.ENOENT, errno.ENOTDIR) else 126
    reason = posix.strerror(error) if error else "unknown error"
    return code, f"cannot run {opts.command[0]!r}: {reason}"


def _kill(opts: Options, child: int, signo: int) -> None:
    try:
        if opts.to_group:
            try:
                posix.kill(-child, signo)
                return
            except ProcessLookupError:
                pass  # the child has not made its group yet: it is the only member
        posix.kill(child, signo)
    except ProcessLookupError:
        _log(opts, 2, f"child {child} was gone before {signal_name(signo)} reached it")
    except OSError as error:
        _log(opts, 1, f"cannot forward {signal_name(signo)}: {error.strerror}")


def _forward(opts: Options, child: int, signo: int) -> None:
    target = opts.rewrite.get(signo, signo)
    if target == 0:
        _log(opts, 3, f"not forwarding {signal_name(signo)} (rewritten to 0)")
    else:
        if opts.verbosity >= 3:
            where = f"group {child}" if opts.to_group else f"process {child}"
            _log(opts, 3, f"forwarding {signal_name(target)} to {where}")
        _kill(opts, child, target)
    if opts.stop_on_tty_signals and signo in TTY_STOP_SIGNALS:
        # dumb-init's job control: suspend with the child, resume on SIGCONT
        posix.kill(posix.getpid(), _signal.SIGSTOP)


def _reap(opts: Options, child: int) -> int | None:
    """Collect every exited child; returns the main child's wait status if it was one."""
    main_status = None
    while True:
        try:
            pid, status = posix.waitpid(-1, posix.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
        if pid == child:
            main_status = status
        elif opts.warn_on_reap:
            _log(opts, 1, f"reaped zombie process {pid}")
        elif opts.verbosity >= 4:
            _log(opts, 4, f"reaped process {pid}")
    return main_status


def _descendants(root: int) -> list[int]:
    """Every process below `root`, read from /proc (used outside PID 1 only)."""
    children: dict[int, list[int]] = {}
    for entry in posix.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat_file:
                stat = stat_file.read()
        except OSError:
            continue  # exited meanwhile
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found: list[int] = []
    pending = [root]
    while pending:
        for pid in children.get(pending.pop(), ()):
            found.append(pid)
            pending.append(pid)
    return found


def _signal_rest(signo: int) -> None:
    if posix.getpid() == 1:
        try:  # noqa: SIM105
            posix.kill(-1, signo)  # every process of our namespace except us
        except ProcessLookupError:
            pass
        return
    for pid in _descendants(posix.getpid()):
        try:  # noqa: SIM105
            posix.kill(pid, signo)
        except ProcessLookupError:
            pass


def _end_the_rest(opts: Options, grace: float) -> None:
    """--grace: SIGTERM what is left, wait for it up to `grace` seconds, then SIGKILL."""
    import time

    deadline = time.monotonic() + grace
    _log(opts, 2, f"main child gone: SIGTERM to the remaining processes, {grace:g} s grace")
    _signal_rest(_signal.SIGTERM)
    while True:
        _reap(opts, 0)
        try:
            posix.waitpid(-1, posix.WNOHANG)  # any child left at all?
        except ChildProcessError:
            return
        left = deadline - time.monotonic()
        if left <= 0:
            break
        _signal.sigtimedwait([_signal.SIGCHLD], left)
    _log(opts, 1, "grace period over: SIGKILL to the remaining processes")
    # as PID 1 our exit kills the namespace anyway; elsewhere do it ourselves
    _signal_rest(_signal.SIGKILL)
    if posix.getpid() != 1:
        while True:
            try:
                posix.waitpid(-1, 0)
            except ChildProcessError:
                return


def exit_code(opts: Options, status: int) -> int:
    signalled = posix.WIFSIGNALED(status)
    code = (128 + posix.WTERMSIG(status) if signalled else posix.WEXITSTATUS(status)) % 256
    return 0 if code in opts.expected_codes else code


def run(opts: Options, waited: set[int], inherited_mask: set[int]) -> int:
    """Spawn the program and supervise it; `waited` signals must already be blocked."""
    if opts.parent_death_signal:
        parent = posix.getppid()
        error = _prctl(PR_SET_PDEATHSIG, opts.parent_death_signal)
        if error:
            _log(opts, 1, f"cannot set the parent-death signal: {error}")
        elif posix.getppid() != parent:  # the parent died before prctl: act as if told
            posix.kill(posix.getpid(), opts.parent_death_signal)
    if posix.getpid() != 1:
        # orphans of our descendants would go to the real PID 1, which may not reap them
        error = _prctl(PR_SET_CHILD_SUBREAPER, 1)
        if error:
            _log(opts, 1, f"not PID 1 and cannot become a subreaper ({error}): zombies may stay")
        else:
            _log(opts, 2, "not PID 1: registered as a child subreaper")
    take_terminal = posix.isatty(0)
    ignore_once: set[int] = set()
    if opts.new_session and take_terminal:
        ignore_once = _detach_from_terminal(opts)
    try:
        child = posix.fork()
    except OSError as error:  # out of processes or memory: nothing to supervise
        _log(opts, 0, f"cannot fork: {error.strerror}")
        return 1
    if child == 0:
        _child(opts, inherited_mask, take_terminal)
    if opts.new_group and not opts.new_session:
        # the child does this too; doing it here as well means a signal for the group
        # can never arrive before the group exists (the shell's trick)
        try:  # noqa: SIM105
            posix.setpgid(child, child)
        except OSError:
            pass  # the child has exec'd already, after its own setpgid
    _log(opts, 2, f"spawned {opts.command[0]!r} as process {child}")
    status = None
    while status is None:
        signo = _signal.sigwait(waited)  # sigwaitinfo without building a siginfo object
        if signo == _signal.SIGCHLD:
            status = _reap(opts, child)
        elif signo in ignore_once:
            ignore_once.discard(signo)
            _log(opts, 3, f"ignoring {signal_name(signo)} caused by the terminal hand-over")
        else:
            _forward(opts, child, signo)
    code = exit_code(opts, status)
    _log(opts, 2, f"main child exited with status {code}")
    if opts.new_session:
        _forward(opts, child, int(_signal.SIGTERM))  # dumb-init: tell the rest of its session
    if opts.grace is not None:
        _end_the_rest(opts, opts.grace)
    else:
        _reap(opts, child)  # a last reap before we go
    return code


def forwarded_signals() -> set[int]:
    """Everything we can catch. The fault signals are included so that a `kill -SEGV` is
    passed on; a real fault in the init is delivered by the kernel even when blocked."""
    return {int(s) for s in _signal.valid_signals()} - {
        int(_signal.SIGKILL),
        int(_signal.SIGSTOP),
    }


def environment() -> dict[str, str]:
    return {
        key.decode(errors="surrogateescape"): value.decode(errors="surrogateescape")
        for key, value in posix.environ.items()
    }


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    """Entry point: `argv` without the program name; the mode comes from `prog`'s name."""
    waited = forwarded_signals()
    # First thing: from here on a signal waits in the queue until the loop takes it,
    # even one sent before the child exists.
    inherited_mask = {int(s) for s in _signal.pthread_sigmask(_signal.SIG_BLOCK, waited)}
    restore = True
    try:
        name = (prog if prog is not None else sys.argv[0]).rpartition("/")[2]
        mode = name if name in ("tini", "dumb-init") else NAME
        try:
            opts = parse_command_line(sys.argv[1:] if argv is None else argv, mode, environment())
        except UsageError as error:
            sys.stderr.write(f"{mode}: {error}\nTry '{mode} --help' for more information.\n")
            return 1
        if opts.action == "help":
            sys.stdout.write(USAGE.format(prog=mode))
            return 0
        if opts.action == "version":
            suffix = "" if mode == NAME else f" (running as {mode})"
            sys.stdout.write(f"{NAME} {package_version()}{suffix}\n")
            return 0
        if opts.action == "license":
            sys.stdout.write(LICENSE)
            return 0
        restore = False
        return run(opts, waited, inherited_mask)
    finally:
        if restore:  # called in-process (tests, --help): leave the mask as we found it
            _signal.pthread_sigmask(_signal.SIG_SETMASK, inherited_mask)


def run_as_program() -> NoReturn:
    """main() for `python3 init.py ...` (or a launcher that imports this module), leaving
    without interpreter finalisation: an init has nothing to clean up, and it saves ~5 ms."""
    status = main()
    for stream in (sys.stdout, sys.stderr):
        try:  # noqa: SIM105
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass  # no such stream, or its reader is gone: nothing left to say
    posix._exit(status)


if __name__ == "__main__":
    run_as_program()

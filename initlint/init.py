#!/usr/bin/env python3
"""initlint-init: a small init (PID 1) for containers, in pure Python.

It runs one program, forwards the signals it receives to it, reaps every zombie re-parented
to it and exits with the program's status (128+N when the program died of signal N, 127/126
when it could not be executed):

    python3 -I -S /usr/local/bin/initlint-init [OPTIONS] -- PROGRAM [ARGS...]

One file, standard library only, Python 3.8 or newer, importing nothing from initlint, so that
it can be copied into an image as is. Under the name `tini` it takes tini's command line, under
the name `dumb-init` it behaves like dumb-init (new session, signals to the group). On purpose
it differs from them where they differ from each other or leave a gap: outside PID 1 it always
registers as a child subreaper (tini needs -s and otherwise warns that it cannot reap; dumb-init
never does), and a program that cannot be executed exits 127/126 in every mode.

Start-up cost is Python's: a script run by path is compiled at every start, and the
compiler's leftovers stay in the process (about 1.5 MiB of idle RSS, 3-4 ms of CPU before
signals are blocked). So `initlint --fix` has the image build compile this file into bytecode
(py_compile) at /usr/local/bin/initlint-init, and runs that by path.
"""

TYPE_CHECKING = False
if TYPE_CHECKING:  # mypy reads the typed `signal`; at run time its C half does the work
    import signal as _signal
    from typing import NoReturn
else:
    import _signal  # `import signal` builds enums and costs ~3 ms of start-up

# Run as a program, the first statement blocks every signal: from here on one that arrives
# waits in the queue for the loop in run() instead of being lost (PID 1 drops a signal it has
# no handler for) or killing us outright. What runs before this line, Python's start-up (and
# from source the compiling of this file), is the window no Python init can close.
if __name__ == "__main__":
    _INHERITED_MASK = _signal.pthread_sigmask(_signal.SIG_BLOCK, _signal.valid_signals())

import errno  # noqa: E402 (imports after that first statement, on purpose)
import posix  # noqa: E402 (the C half of `os`: `import os` costs ~2.5 ms)
import sys  # noqa: E402

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
  -w                   log each zombie reaped, as tini does, at any verbosity
  -v, --verbose        more log output on stderr; repeatable
  -l, --license        print the license and exit
  -V, --version        print the version and exit
  -h, --help           print this help and exit

Environment: TINI_SUBREAPER, TINI_KILL_PROCESS_GROUP, TINI_VERBOSITY,
DUMB_INIT_SETSID=0, DUMB_INIT_DEBUG=1.
"""

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
# The job-control signals after which dumb-init stops itself, so that a shell's job control
# works on it: suspended together with its child, resumed by SIGCONT.
TTY_STOP_SIGNALS = (int(_signal.SIGTSTP), int(_signal.SIGTTIN), int(_signal.SIGTTOU))


class UsageError(Exception):
    """A bad command line: reported in one line, exit status 1 (as tini and dumb-init)."""


class Options:
    """What the command line and the environment asked for."""

    def __init__(self, mode: str) -> None:
        dumb_init = mode == "dumb-init"
        self.mode = mode  # "initlint-init", "tini" or "dumb-init": the name we were run under
        self.verbosity = 0 if dumb_init else 1  # 0 errors, 1 warnings, 2 info, 3 debug
        self.new_session = dumb_init  # the child calls setsid(), else setpgid()
        self.new_group = not dumb_init  # setpgid(): the child gets its own process group
        self.to_group = dumb_init  # signals go to the child's process group, not the child
        self.stop_on_tty_signals = dumb_init
        self.warn_on_reap = False
        self.parent_death_signal = 0
        self.grace: float | None = None
        self.expected_codes: set[int] = set()
        self.rewrite: dict[int, int] = {}
        self.command: list[str] = []
        self.action = "run"  # or "help", "version", "license"


def _log(opts: Options, level: int, message: str) -> None:
    if opts.verbosity >= level:
        _write(2, f"[{opts.mode} {posix.getpid()}] {message}\n")


def _write(fd: int, text: str) -> None:
    try:  # noqa: SIM105 (contextlib costs start-up time)
        posix.write(fd, text.encode(errors="replace"))
    except OSError:  # closed or a broken pipe: output must never stop the init
        pass


def signal_number(text: str) -> int:
    """Parse `15`, `TERM`, `SIGTERM`, `sigterm`, `RTMIN+2` or `SIGRTMAX-1`, as kill(1) does."""
    name = text.upper()
    name = name if name.startswith("SIG") or name.isdigit() else "SIG" + name
    base, sign, offset = name.replace("-", "+-").partition("+")
    if name.isdigit():
        number = int(name)
    elif base in ("SIGRTMIN", "SIGRTMAX") and (not sign or offset.lstrip("-").isdigit()):
        number = int(getattr(_signal, base)) + int(offset or 0)
    elif not name.startswith("SIG_") and isinstance(getattr(_signal, name, None), int):
        number = int(getattr(_signal, name))
    else:
        raise ValueError(text)
    if not 1 <= number <= int(_signal.SIGRTMAX):
        raise ValueError(text)
    return number


def _apply_option(opts: Options, option: str, value: str) -> None:
    if option in _ACTIONS:
        opts.action = _ACTIONS[option]
    elif option in ("-v", "--verbose"):
        # dumb-init has one level of verbosity: its debug output
        opts.verbosity = 3 if opts.mode == "dumb-init" else opts.verbosity + 1
    elif option == "-g":
        opts.to_group = True
    elif option == "-w":
        opts.warn_on_reap = True
    elif option in ("-c", "--single-child"):
        opts.new_session = opts.to_group = False
        opts.new_group = opts.mode != "dumb-init"  # dumb-init -c leaves the child in our group
    elif option in ("-r", "--rewrite"):
        source, sep, target = value.partition(":")
        try:
            if not sep:
                raise ValueError(value)
            opts.rewrite[signal_number(source)] = 0 if target == "0" else signal_number(target)
        except ValueError:
            raise UsageError(f"-r takes S:R, signal names or numbers, not {value!r}") from None
    elif option == "-e":
        if not (value.isascii() and value.isdigit()) or int(value) > 255:  # not "⁵"
            raise UsageError(f"-e takes an exit code from 0 to 255, not {value!r}")
        opts.expected_codes.add(int(value))
    elif option == "-p":
        try:
            opts.parent_death_signal = signal_number(value)
        except ValueError:
            raise UsageError(f"-p takes a signal name or number, not {value!r}") from None
    elif option == "--grace":
        try:
            opts.grace = float(value)
        except ValueError:
            opts.grace = -1.0
        if not opts.grace >= 0:  # also rejects nan
            raise UsageError(f"--grace takes a number of seconds, not {value!r}")
    elif option != "-s":  # -s: we are a subreaper anyway; accepted so tini command lines parse
        raise UsageError(f"unknown option {option}")


_ACTIONS = {"-h": "help", "-V": "version", "-l": "license"}
_ACTIONS.update({"--" + action: action for action in _ACTIONS.values()})
_TAKES_VALUE = {"-r", "-e", "-p", "--rewrite", "--grace"}
_LONG = {"--help", "--version", "--license", "--verbose", "--single-child", *_TAKES_VALUE}


def parse_command_line(args: "list[str]", mode: str, environ: "dict[str, str]") -> Options:
    """Options stop at `--` or at the first word that is not an option: the program."""
    opts = Options(mode)
    index = 0
    while index < len(args) and args[index].startswith("-") and args[index] != "-":
        word = args[index]
        index += 1
        if word == "--":
            break
        pairs: list[tuple[str, str | None]] = []
        if word.startswith("--"):  # --name or --name=value
            name, sep, attached = word.partition("=")
            pairs.append((name, attached if sep else None))
        else:  # -gv, -e3, -ge 3: letters, the first that takes a value takes the rest
            letters = word[1:]
            while letters:
                option, letters = "-" + letters[0], letters[1:]
                takes_value = option in _TAKES_VALUE
                pairs.append((option, (letters or None) if takes_value else None))
                if takes_value:
                    break
        for option, value in pairs:
            if option.startswith("--") and option not in _LONG:
                raise UsageError(f"unknown option {option}")
            if option in _TAKES_VALUE and value is None:
                if index >= len(args):
                    raise UsageError(f"{option} needs a value")
                value, index = args[index], index + 1
            elif option not in _TAKES_VALUE and value is not None:
                raise UsageError(f"{option} takes no value")
            _apply_option(opts, option, value or "")
    opts.command = args[index:]
    # the environment is read after the options, as tini does, so it wins
    if "TINI_KILL_PROCESS_GROUP" in environ:
        opts.to_group = True
    verbosity = environ.get("TINI_VERBOSITY", "")
    if verbosity.isascii() and verbosity.isdigit():  # not "⁵", which int() rejects
        opts.verbosity = int(verbosity)
    if mode == "dumb-init":
        if environ.get("DUMB_INIT_DEBUG") == "1":
            opts.verbosity = 3
        if environ.get("DUMB_INIT_SETSID") == "0":
            _apply_option(opts, "-c", "")
    if opts.new_session:
        # the child's new session has no terminal to stop it: dumb-init sends SIGSTOP instead
        for tty_signal in TTY_STOP_SIGNALS:
            opts.rewrite.setdefault(tty_signal, int(_signal.SIGSTOP))
    if opts.action == "run" and not opts.command:
        raise UsageError("no program to run")
    return opts


def _prctl(option: int, value: int) -> "str | None":
    """prctl(2); returns an error text or None. Needed only outside PID 1 or with -p, so
    imported lazily, and through `_ctypes` directly: the `ctypes` package on top of it
    costs ~5 ms more start-up. `ctypes` stays the fallback should a Python drop
    `_ctypes.call_function` (present from 3.8 to 3.13)."""
    try:
        import _ctypes

        # dlopen(NULL): the symbols of the running program and its libraries, libc included
        prctl = _ctypes.dlsym(_ctypes.dlopen(None), "prctl")  # type: ignore[arg-type]
        call_function = _ctypes.call_function
    except (ImportError, AttributeError, OSError):
        return _prctl_through_ctypes(option, value)
    return None if call_function(prctl, (option, value, 0, 0, 0)) == 0 else "prctl failed"


def _prctl_through_ctypes(option: int, value: int) -> "str | None":
    try:
        import ctypes
    except ImportError:  # Pythons built without libffi have no ctypes at all
        return "ctypes is not available"
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0) != 0:
        return posix.strerror(ctypes.get_errno())
    return None


def _detach_from_terminal(opts: Options) -> "set[int]":
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


def _execvp(command: "list[str]") -> int:
    """execvp(3) as C has it: PATH search, EACCES remembered while searching on, and a
    file without #! run by /bin/sh (os.execvp does not). Returns an errno on failure."""
    program = command[0]
    if not program:
        return errno.ENOENT  # as execvp(3) says (posix.execv would raise ValueError)
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


def _child(opts: Options, inherited_mask: "set[int]", take_terminal: bool) -> "NoReturn":
    """In the forked child, every signal still blocked so nothing interrupts the set-up:
    new session or group, terminal, signal dispositions, then exec, or exit 127/126."""
    try:
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
                try:  # noqa: SIM105 (allowed from the background: SIGTTOU is blocked)
                    posix.tcsetpgrp(0, posix.getpgrp())
                except OSError:
                    pass  # stdin is a terminal but not ours: nothing to hand over
        # Python ignores SIGPIPE and SIGXFSZ at start-up and an ignore survives exec: the
        # program gets the defaults a C init would pass on. Python's SIGINT handler would
        # swallow a SIGINT between the unblock and the exec; SIG_DFL is what exec leaves.
        _signal.signal(_signal.SIGPIPE, _signal.SIG_DFL)
        _signal.signal(_signal.SIGXFSZ, _signal.SIG_DFL)
        if _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:
            _signal.signal(_signal.SIGINT, _signal.SIG_DFL)
        _signal.pthread_sigmask(_signal.SIG_SETMASK, inherited_mask)
        failure = _execvp(opts.command)
        # the shell's convention: 127 not found, 126 found but not runnable
        code = 127 if failure in (errno.ENOENT, errno.ENOTDIR) else 126
        reason = posix.strerror(failure) if failure else "unknown error"
        message = f"cannot run {opts.command[0]!r}: {reason}"
    except OSError as error:  # setsid/setpgid refused: the child cannot run as asked
        code, message = 126, f"cannot set up the child process: {error.strerror}"
    except BaseException:  # never let the child return into the init's loop
        posix._exit(126)
    _write(2, f"{opts.mode}: {message}\n")
    posix._exit(code)


def _forward(opts: Options, child: int, signo: int) -> None:
    target = opts.rewrite.get(signo, signo)
    if target:
        _log(opts, 3, f"forwarding signal {target} to {'group' if opts.to_group else 'process'}")
        try:
            try:
                posix.kill(-child if opts.to_group else child, target)
            except ProcessLookupError:
                if not opts.to_group:
                    raise
                posix.kill(child, target)  # the child has not made its group yet
        except ProcessLookupError:
            _log(opts, 2, f"child {child} was gone before signal {target} reached it")
        except OSError as error:
            _log(opts, 1, f"cannot forward signal {target}: {error.strerror}")
    if opts.stop_on_tty_signals and signo in TTY_STOP_SIGNALS:
        posix.kill(posix.getpid(), _signal.SIGSTOP)  # resumed by SIGCONT, forwarded in turn


def _reap(opts: Options, child: int) -> "int | None":
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
        else:  # tini's words, so that scripts that read tini's -w log keep working
            _log(opts, 0 if opts.warn_on_reap else 3, f"Reaped zombie process with pid={pid}")
    return main_status


def _signal_rest(signo: int) -> None:
    """Signal every process below us: as PID 1 all of the namespace but us, else our
    descendants, found in /proc."""
    pids: list[int] = [-1]
    if posix.getpid() != 1:
        children: dict[int, list[int]] = {}
        for entry in filter(str.isdigit, posix.listdir("/proc")):
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat_file:
                    stat = stat_file.read()
            except OSError:
                continue  # exited meanwhile
            parent = int(stat[stat.rindex(b")") + 2 :].split()[1])
            children.setdefault(parent, []).append(int(entry))
        pids, pending = [], [posix.getpid()]
        while pending:
            below = children.get(pending.pop(), [])
            pids += below
            pending += below
    for pid in pids:
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
        if time.monotonic() >= deadline:
            break
        _signal.sigtimedwait([_signal.SIGCHLD], deadline - time.monotonic())
    _log(opts, 1, "grace period over: SIGKILL to the remaining processes")
    _signal_rest(_signal.SIGKILL)
    # as PID 1 our exit ends the namespace; elsewhere wait for what we killed
    while posix.getpid() != 1:
        try:
            posix.waitpid(-1, 0)
        except ChildProcessError:
            return


def exit_code(opts: Options, status: int) -> int:
    signalled = posix.WIFSIGNALED(status)
    code = (128 + posix.WTERMSIG(status) if signalled else posix.WEXITSTATUS(status)) % 256
    return 0 if code in opts.expected_codes else code


def run(opts: Options, waited: "set[int]", inherited_mask: "set[int]") -> int:
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
    ignore_once = _detach_from_terminal(opts) if opts.new_session and take_terminal else set()
    try:
        child = posix.fork()
    except OSError as error:  # out of processes or memory: nothing to supervise
        _log(opts, 0, f"cannot fork: {error.strerror}")
        return 1
    if child == 0:
        _child(opts, inherited_mask, take_terminal)  # the program starts in our folder...
    try:  # noqa: SIM105 (...while we hold on to none, so we never keep a mount busy)
        posix.chdir("/")
    except OSError:
        pass
    if opts.new_group:
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
            _log(opts, 3, f"ignoring signal {signo}: caused by the terminal hand-over")
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


def main(argv: "list[str] | None" = None, prog: "str | None" = None) -> int:
    """Entry point: `argv` without the program name; the mode comes from `prog`'s name."""
    # Everything we can catch is waited for. The fault signals are included so that a
    # `kill -SEGV` is passed on; a real fault in the init is delivered even when blocked.
    waited = set(map(int, _signal.valid_signals())) - {_signal.SIGKILL, _signal.SIGSTOP}
    if __name__ == "__main__" and argv is None:
        inherited_mask = set(map(int, _INHERITED_MASK))  # blocked in the first statement
    else:  # imported (console script, launcher, tests): block now
        inherited_mask = set(map(int, _signal.pthread_sigmask(_signal.SIG_BLOCK, waited)))
    name = (prog if prog is not None else sys.argv[0]).rpartition("/")[2]
    mode = name if name in ("tini", "dumb-init") else NAME
    environ = {
        key.decode(errors="surrogateescape"): value.decode(errors="surrogateescape")
        for key, value in posix.environ.items()
    }
    try:
        opts = parse_command_line(sys.argv[1:] if argv is None else argv, mode, environ)
    except UsageError as error:
        opts = None
        _write(2, f"{mode}: {error}\nTry '{mode} --help' for more information.\n")
    if opts is not None and opts.action == "run":
        return run(opts, waited, inherited_mask)
    # no program to run (and maybe called in-process): leave the mask as we found it
    _signal.pthread_sigmask(_signal.SIG_SETMASK, inherited_mask)
    if opts is None:
        return 1
    if opts.action == "help":
        _write(1, USAGE.format(prog=mode))
    elif opts.action == "version":
        suffix = "" if mode == NAME else f" (running as {mode})"
        _write(1, f"{NAME} {package_version()}{suffix}\n")
    else:
        _write(1, LICENSE)
    return 0


def run_as_program() -> "NoReturn":
    """main() for `python3 init.py ...` (or a launcher that imports this module), leaving
    without interpreter finalisation: an init has nothing to clean up, and it saves ~5 ms."""
    posix._exit(main())


if __name__ == "__main__":
    run_as_program()

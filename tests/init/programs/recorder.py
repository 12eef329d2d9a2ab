"""Record every signal this process receives, one number a line, in the file argv[1].

With --fork it first forks a grandchild that does the same into argv[1] + ".grandchild"
(same process group). Signals are taken with sigwaitinfo, so queued real-time signals are
counted one by one. SIGTERM is recorded, then ends the process.
"""

import os
import signal
import sys


def record(path: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.write(fd, b"ready\n")
    while True:
        signo = signal.sigwaitinfo(waited).si_signo
        os.write(fd, f"{signo}\n".encode())
        if signo == signal.SIGTERM:
            os._exit(0)


waited = signal.valid_signals() - {signal.SIGKILL, signal.SIGSTOP, signal.SIGCHLD}
signal.pthread_sigmask(signal.SIG_BLOCK, waited)
if "--fork" in sys.argv[2:] and os.fork() == 0:
    record(sys.argv[1] + ".grandchild")
record(sys.argv[1])

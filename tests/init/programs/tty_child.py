"""On a terminal: print whether we own its foreground, then wait for Ctrl-C (default
SIGINT action, so the process dies of the signal)."""

import os
import signal
import time

signal.signal(signal.SIGINT, signal.SIG_DFL)
print(f"foreground={os.tcgetpgrp(0) == os.getpgrp()} ready", flush=True)
time.sleep(30)

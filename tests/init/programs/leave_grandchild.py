"""Start a grandchild in the background and exit 0 once it is ready (its pid in argv[1]).
argv[2] is "polite" (the grandchild writes "TERM" to argv[1] + ".term" and exits on SIGTERM)
or "stubborn" (it ignores SIGTERM)."""

import os
import signal
import sys
import time

out, mode = sys.argv[1], sys.argv[2]
ready_r, ready_w = os.pipe()
if os.fork() == 0:
    if mode == "polite":

        def on_term(signo, frame):
            with open(out + ".term", "w") as term_file:
                term_file.write("TERM")
            os._exit(0)

        signal.signal(signal.SIGTERM, on_term)
    else:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    with open(out, "w") as out_file:
        out_file.write(str(os.getpid()))
    os.write(ready_w, b"x")
    while True:
        time.sleep(60)
os.read(ready_r, 1)

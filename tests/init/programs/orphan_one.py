"""Orphan one grandchild: an intermediate forks it and exits. The grandchild writes its pid
to argv[1], lives argv[2] seconds and exits. This process then sleeps until killed."""

import os
import sys
import time

out, life = sys.argv[1], float(sys.argv[2])
intermediate = os.fork()
if intermediate == 0:
    if os.fork() == 0:
        with open(out + ".tmp", "w") as out_file:
            out_file.write(str(os.getpid()))
        os.rename(out + ".tmp", out)
        time.sleep(life)
        os._exit(0)
    os._exit(0)
os.waitpid(intermediate, 0)
time.sleep(60)

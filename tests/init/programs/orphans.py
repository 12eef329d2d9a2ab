"""Make argv[1] orphans at once: an intermediate process forks them (they exit at once, as
zombies) and exits, so they are all re-parented to the init together. Then print "made N"
and sleep until killed."""

import os
import sys
import time

count = int(sys.argv[1])
intermediate = os.fork()
if intermediate == 0:
    for _ in range(count):
        if os.fork() == 0:
            os._exit(0)
    os._exit(0)
os.waitpid(intermediate, 0)
print(f"made {count}", flush=True)
time.sleep(60)

"""The programs a configuration can run as its app, written into the build context.

Each is a real program with one known behaviour towards signals and children, so a
configuration's measured stop says something about the layers in front of it (init, shell,
script), not about the app.
"""

from __future__ import annotations

# Python that stops on SIGTERM (and, like every Python program, on SIGINT).
PY_HANDLER = """import signal
import sys
import time


def stop(signum, frame):
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
print("ready", flush=True)
while True:
    time.sleep(1)
"""

# Python with no SIGTERM handler: as PID 1 the kernel drops SIGTERM for it.
PY_PLAIN = """import time

print("ready", flush=True)
while True:
    time.sleep(1)
"""

# Python that orphans a grandchild every 0.1 s (sh exits at once, its background sleep is
# reparented to PID 1) and never reaps anything but its own children.
SPAWNER = """import subprocess
import time

print("ready", flush=True)
while True:
    subprocess.run(["sh", "-c", "sleep 0.05 &"])
    time.sleep(0.1)
"""

# The JVM installs its own SIGTERM/SIGINT handlers (shutdown hooks): it stops as PID 1.
JAVA_MAIN = """public class Main {
    public static void main(String[] args) throws InterruptedException {
        System.out.println("ready");
        while (true) {
            Thread.sleep(1000);
        }
    }
}
"""

PYTHON_FILES = {
    "py-handler": ("app/handler.py", PY_HANDLER),
    "py-plain": ("app/plain.py", PY_PLAIN),
    "spawner": ("app/spawner.py", SPAWNER),
}

# No SIGTERM handler: as PID 1 the kernel drops SIGTERM; under an init the default action ends it.
import time

while True:
    print("app running", flush=True)
    time.sleep(0.2)

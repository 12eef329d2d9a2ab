# Every 0.1 s a shell starts `sleep` in the background and exits: the sleep is orphaned to
# PID 1, and whoever is PID 1 has to reap it when it ends.
import os
import time

print("app running", flush=True)
while True:
    os.system("sh -c 'sleep 0.1 &'")
    time.sleep(0.1)

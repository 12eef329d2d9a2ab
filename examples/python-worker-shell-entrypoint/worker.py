import sys
import time


def main() -> None:
    queue = sys.argv[sys.argv.index("--queue") + 1] if "--queue" in sys.argv else "default"
    while True:
        print(f"polling {queue}", flush=True)
        time.sleep(5)


if __name__ == "__main__":
    main()

"""bashlex built from cached tables parses exactly as bashlex built its own way, and is fast."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPTS = [
    '#!/bin/sh\nset -e\nif [ "$1" = x ]; then\n  echo hi\nfi\nworker &\ncd /app && exec "$@"\n',
    "f() { echo; }\nf\nwhile true; do sleep 1; done | cat\n",
    "trap 'kill $pid' TERM INT\nnginx &\npid=$!\ncat <<EOF\nhello $X\nEOF\nwait $pid\n",
    'a || b && c; d & e\nexport PATH="$(dirname $0):$PATH"\n{ echo a; } > /dev/null\n',
]

DUMP = """
import json, sys, time
from initlint.evidence.bashlex_loader import load_bashlex
start = time.perf_counter()
if sys.argv[1] == "cached":
    bashlex = load_bashlex()
else:
    import bashlex
elapsed = time.perf_counter() - start
scripts = json.loads(sys.stdin.read())
print(json.dumps({"ms": elapsed * 1000,
                  "dumps": [[node.dump() for node in bashlex.parse(s)] for s in scripts]}))
"""


def run(mode: str, cache: Path) -> dict[str, object]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    result = subprocess.run(
        [sys.executable, "-c", DUMP, mode],
        input=json.dumps(SCRIPTS),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    parsed: dict[str, object] = json.loads(result.stdout)
    return parsed


def test_cached_tables_parse_like_bashlex(tmp_path: Path) -> None:
    plain = run("plain", tmp_path)
    first = run("cached", tmp_path)  # builds the tables and saves them
    assert list((tmp_path / "initlint").glob("bashlex-tables-*.json"))
    second = run("cached", tmp_path)  # builds the parser from the saved tables
    assert plain["dumps"] == first["dumps"] == second["dumps"]


def test_cached_import_is_much_faster(tmp_path: Path) -> None:
    run("cached", tmp_path)
    plain = min(float(run("plain", tmp_path)["ms"]) for _ in range(2))  # type: ignore[arg-type]
    cached = min(float(run("cached", tmp_path)["ms"]) for _ in range(2))  # type: ignore[arg-type]
    assert cached < plain / 2, (cached, plain)


def test_a_broken_cache_falls_back_to_building(tmp_path: Path) -> None:
    run("cached", tmp_path)
    for cache in (tmp_path / "initlint").glob("bashlex-tables-*.json"):
        cache.write_text("{not json")
    assert run("cached", tmp_path)["dumps"] == run("plain", tmp_path)["dumps"]

"""Run tini's and dumb-init's own test suites against initlint-init under their names.

    sudo .venv/bin/python benchmarks/peer_suites.py --tini DIR --dumb-init DIR [--real]

DIR is a work tree of github.com/krallin/tini or github.com/Yelp/dumb-init that you check out
yourself, outside this repository: nothing of theirs is stored here. The runner

- puts initlint-init on a PATH folder under the names `tini` and `dumb-init` (the file
  `initlint --print-init` writes, its #! line naming the interpreter, run as `python -I -S`);
  `--real` puts the real /usr/bin/tini and /usr/bin/dumb-init there instead, as the control
  that shows the suites pass in this environment;
- makes a virtualenv (under --work, reused) with what the suites import: pytest and
  pytest-timeout (dumb-init), psutil, python-prctl and bitmap (tini; python-prctl builds
  against libcap-dev), and compiles tini's small C helper test/sigconf/sigconf-test.c with cc;
- runs each suite inside a fresh PID namespace whose PID 1 is a plain reaper (as a host's
  init is), so that nothing a suite starts outlives it;
- prints passed and failed per suite, the tests it leaves out (those that only compare exact
  log or help text), and the failures that are deliberate differences, each with its reason.

tini's suite (test/run_inner_tests.py) is one script of plain `assert`s: it is run as is,
except that each `assert` records a failure instead of ending the script, and each
"Running ..." line it prints starts a new check. dumb-init's suite is pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from initlint.fixes.vendoring import vendored_init

UNSHARE = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"]
PACKAGES = ["pytest", "pytest-timeout", "psutil", "python-prctl", "bitmap"]
SUITE_TIMEOUT = 1800
RESULTS_MARK = "@@peer-suite-results@@ "

# dumb-init tests that compare dumb-init's own text byte for byte: its help, usage and
# version text, getopt's error line, its debug log lines, its exec error line. initlint-init
# says the same things in its own words (we do not copy their text), so these are left out.
DUMB_INIT_EXACT_TEXT = {
    "tests/cli_test.py::test_no_arguments_prints_usage": "dumb-init's usage text",
    "tests/cli_test.py::test_exits_invalid_with_invalid_args": "glibc getopt's error line",
    "tests/cli_test.py::test_help_message": "dumb-init's help text and version",
    "tests/cli_test.py::test_version_message": "dumb-init's version line",
    "tests/cli_test.py::test_verbose": "dumb-init's debug log lines",
    "tests/cli_test.py::test_verbose_and_single_child": "dumb-init's debug log lines",
    "tests/cli_test.py::test_rewrite_errors": (
        "dumb-init's -r usage text (and it refuses signals above 31, where initlint-init"
        " also rewrites real-time signals)"
    ),
    "tests/child_processes_test.py::test_fails_nonzero_with_bad_exec": (
        "dumb-init's exec error line (initlint-init exits 127/126 with its own message)"
    ),
    "tests/tty_test.py::test_sighup_sigcont_ignored_if_was_session_leader": (
        "asserts nothing but dumb-init's debug log lines"
    ),
}

# Checks of tini's suite that initlint-init fails on purpose.
TINI_DELIBERATE = {
    "Running zombie reaping failure test": (
        "expects tini, neither PID 1 nor a subreaper, to fail to reap and warn about it;"
        " initlint-init always registers as a child subreaper when it is not PID 1, so it"
        " reaps and has nothing to warn about"
    ),
}

# The process the suites run under, as PID 1 of their namespace: it starts the suite and
# reaps whatever is re-parented to it, as a host's init does, until the suite exits.
REAPER = """
import os, sys
suite = os.fork()
if suite == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
while True:
    pid, status = os.wait()
    if pid == suite:
        sys.exit(os.waitstatus_to_exitcode(status))
"""

# Runs tini's test/run_inner_tests.py (argv[1]) with each `assert` turned into a recorded
# check and each "Running ..." line starting a new entry; prints the entries as JSON
# after the mark argv[2].
TINI_DRIVER = """
import ast, builtins, json, signal, sys, traceback
path = sys.argv[1]
checks = []

def start(*args, **kwargs):
    text = " ".join(str(arg) for arg in args)
    if text.lower().startswith("running "):
        checks.append({"name": text, "failures": []})
        signal.alarm(300)  # one hung check must not hang the runner
    builtins.print(*args, **kwargs)
    sys.stdout.flush()

def check(condition, message=None):
    if not condition:
        failure = str(message) if message is not None else "assertion failed"
        (checks[-1]["failures"] if checks else []).append(failure[:500])
        builtins.print("CHECK FAILED:", failure[:500], flush=True)

def timed_out(signo, frame):
    raise TimeoutError("no progress for 300 s")

class RecordAsserts(ast.NodeTransformer):
    def visit_Assert(self, node):
        message = node.msg if node.msg is not None else ast.Constant(None)
        call = ast.Call(ast.Name("__check__", ast.Load()), [node.test, message], [])
        return ast.copy_location(ast.Expr(call), node)

tree = RecordAsserts().visit(ast.parse(open(path).read(), path))
ast.fix_missing_locations(tree)
signal.signal(signal.SIGALRM, timed_out)
namespace = {"__name__": "__main__", "__file__": path, "print": start, "__check__": check}
stopped = None
try:
    exec(compile(tree, path, "exec"), namespace)
except BaseException:
    stopped = traceback.format_exc(limit=3)
    if checks:
        checks[-1]["failures"].append("stopped: " + stopped.strip().splitlines()[-1])
print(sys.argv[2] + json.dumps({"checks": checks, "stopped": stopped}), flush=True)
"""


def drop_ins(folder: Path, python: str, real: bool) -> None:
    """`tini` and `dumb-init` in `folder`: initlint-init, or with `real` the real ones."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("tini", "dumb-init"):
        target = folder / name
        target.unlink(missing_ok=True)
        if real:
            target.symlink_to(f"/usr/bin/{name}")
            continue
        # a copy, not a symlink: dumb-init's suite resolves the path it runs, and the name
        # it is run under is what picks the mode
        body = vendored_init().split("\n", 1)[1]  # what --fix writes, version stamped
        target.write_text(f"#!{python} -IS\n{body}")
        target.chmod(0o755)


def virtualenv(work: Path) -> Path:
    venv = work / "venv"
    python = venv / "bin" / "python"
    probe = "import pytest, pytest_timeout, psutil, prctl, bitmap"
    if python.exists() and subprocess.run([python, "-c", probe]).returncode == 0:
        return venv
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([python, "-m", "pip", "install", "-q", *PACKAGES], check=True)
    return venv


def in_namespace(argv: list[str], log: Path, **kwargs: object) -> str:
    """Run argv under the reaper as PID 1 of a new PID namespace; its output goes to `log`
    (and is returned). Everything it started dies with the namespace."""
    command = [*UNSHARE, sys.executable, "-I", "-c", REAPER, *argv]
    with log.open("w") as out:
        subprocess.run(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            timeout=SUITE_TIMEOUT,
            check=False,
            **kwargs,  # type: ignore[arg-type]
        )
    return log.read_text(errors="replace")


def run_tini(source: Path, work: Path, venv: Path, bin_dir: Path) -> int:
    """Returns the number of failures that are not deliberate."""
    build = work / "tini-build"
    build.mkdir(exist_ok=True)
    for stale in ("tini", "sigconf-test"):
        (build / stale).unlink(missing_ok=True)
    shutil.copy(bin_dir / "tini", build / "tini", follow_symlinks=False)
    helper = source / "test" / "sigconf" / "sigconf-test.c"
    subprocess.run(["cc", "-o", str(build / "sigconf-test"), str(helper)], check=True)
    env = {
        **os.environ,
        # the suite's own scripts start with `#!/usr/bin/env python3` and import psutil
        "PATH": f"{venv / 'bin'}:{os.environ['PATH']}",
        "SOURCE_DIR": str(source),
        "BUILD_DIR": str(build),
        "FORCE_SUBREAPER": "1",  # the full suite: tini built with subreaper support
        "PYTHONUNBUFFERED": "1",
    }
    script = source / "test" / "run_inner_tests.py"
    python = str(venv / "bin" / "python")
    output = in_namespace(
        [python, "-c", TINI_DRIVER, str(script), RESULTS_MARK], work / "tini.log", env=env
    )
    results = [line for line in output.splitlines() if line.startswith(RESULTS_MARK)]
    if not results:
        print(f"tini: the suite did not report; see {work / 'tini.log'}")
        return 1
    report = json.loads(results[-1][len(RESULTS_MARK) :])
    checks = report["checks"]
    failed = [check for check in checks if check["failures"]]
    print(
        f"tini ({script.relative_to(source)}): {len(checks)} checks,"
        f" {len(checks) - len(failed)} passed, {len(failed)} failed"
    )
    unexpected = 0
    for check in failed:
        reason = next(
            (why for name, why in TINI_DELIBERATE.items() if check["name"].startswith(name)), None
        )
        unexpected += reason is None
        print(f"  FAILED{' (deliberate)' if reason else ''}: {check['name']}")
        print(f"      {reason or '; '.join(check['failures'])}")
    if report["stopped"]:
        print(f"  the suite stopped early:\n{report['stopped']}")
        unexpected += 1
    return unexpected


def run_dumb_init(source: Path, work: Path, venv: Path, bin_dir: Path) -> int:
    """Returns the number of failures."""
    junit = work / "dumb-init.xml"
    junit.unlink(missing_ok=True)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{venv / 'bin'}:{os.environ['PATH']}",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    python = str(venv / "bin" / "python")
    collect = subprocess.run(
        [python, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=source,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    collected = [line for line in collect.stdout.splitlines() if "::" in line]
    left_out = [test for test in collected if test.split("[")[0] in DUMB_INIT_EXACT_TEXT]
    deselect = [arg for test in DUMB_INIT_EXACT_TEXT for arg in ("--deselect", test)]
    pytest = [python, "-m", "pytest", "-p", "no:cacheprovider", "-q", f"--junitxml={junit}"]
    in_namespace([*pytest, *deselect, "tests"], work / "dumb-init.log", cwd=source, env=env)
    if not junit.exists():
        print(f"dumb-init: pytest did not report; see {work / 'dumb-init.log'}")
        return 1
    failed, passed = [], 0
    for case in ElementTree.parse(junit).iter("testcase"):
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if case.find("skipped") is not None:
            failed.append((case, "skipped"))
        elif problem is not None:
            failed.append((case, (problem.get("message") or "").splitlines()[0][:200]))
        else:
            passed += 1
    print(
        f"dumb-init (pytest tests/): {passed + len(failed)} behavioural tests,"
        f" {passed} passed, {len(failed)} failed"
    )
    for case, message in failed:
        print(f"  FAILED: {case.get('classname')}::{case.get('name')}\n      {message}")
    print(f"  left out, {len(left_out)} tests that compare exact text:")
    for test, reason in DUMB_INIT_EXACT_TEXT.items():
        count = sum(1 for item in left_out if item.split("[")[0] == test)
        print(f"    {test} ({count}): {reason}")
    return len(failed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tini", type=Path, help="work tree of krallin/tini")
    parser.add_argument("--dumb-init", type=Path, help="work tree of Yelp/dumb-init")
    parser.add_argument("--real", action="store_true", help="run the real tini and dumb-init")
    parser.add_argument("--python", default=sys.executable, help="interpreter for the init")
    parser.add_argument(
        "--work",
        type=Path,
        default=Path(tempfile.gettempdir()) / "initlint-peer-suites",
        help="scratch folder (the virtualenv there is reused)",
    )
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("needs root: PID namespaces", file=sys.stderr)
        return 2
    if not (args.tini or args.dumb_init):
        parser.error("give --tini DIR, --dumb-init DIR or both")
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    bin_dir = work / ("bin-real" if args.real else "bin")
    drop_ins(bin_dir, args.python, args.real)
    venv = virtualenv(work)
    subject = "the real tini and dumb-init" if args.real else f"initlint-init run by {args.python}"
    print(f"under test: {subject}; logs in {work}\n")
    failures = 0
    if args.tini:
        failures += run_tini(args.tini.resolve(), work, venv, bin_dir)
    if args.dumb_init:
        failures += run_dumb_init(args.dumb_init.resolve(), work, venv, bin_dir)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""The bundled init as PID 1 of a fresh PID namespace: what a container user would observe."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.init.helpers import program
from tests.support.pidns import (
    InitRun,
    children,
    count_zombies_in_namespace,
    proc_state,
    proc_status,
    run_init,
    signal_mask,
    wait_for,
)

pytestmark = [pytest.mark.pidns, pytest.mark.usefixtures("require_pidns")]


def recorded(path: Path) -> list[str]:
    try:
        return path.read_text().split()
    except FileNotFoundError:
        return []


def wait_ready(path: Path) -> None:
    wait_for(lambda: "ready" in recorded(path), what=f"{path.name} to be ready")


def signals_after_ready(path: Path) -> list[int]:
    words = recorded(path)
    return [int(word) for word in words[words.index("ready") + 1 :]]


# --- spawning --------------------------------------------------------------------------------


def test_runs_the_program_found_on_path_and_returns_its_exit_code() -> None:
    result = run_init(["--", "sh", "-c", "echo hello; exit 3"])
    assert (result.returncode, result.stdout) == (3, "hello\n")


def test_missing_program_exits_127_with_one_line_naming_it() -> None:
    result = run_init(["--", "no-such-program-xyz", "arg"])
    assert result.returncode == 127
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert "no-such-program-xyz" in lines[0]
    assert "No such file or directory" in lines[0]


def test_program_that_is_not_executable_exits_126_with_a_message(tmp_path: Path) -> None:
    data = tmp_path / "data.txt"
    data.write_text("not a program\n")
    data.chmod(0o644)
    result = run_init(["--", str(data)])
    assert result.returncode == 126
    assert len(result.stderr.splitlines()) == 1
    assert str(data) in result.stderr and "Permission denied" in result.stderr


def test_script_without_shebang_runs_with_bin_sh_as_execvp_does(tmp_path: Path) -> None:
    script = tmp_path / "plain-script"
    script.write_text("echo from-sh\nexit 5\n")
    script.chmod(0o755)
    result = run_init(["--", str(script)])
    assert (result.returncode, result.stdout) == (5, "from-sh\n")


def test_program_arguments_that_look_like_options_reach_the_program() -> None:
    result = run_init(["--", "sh", "-c", 'echo "$@"', "sh", "-v", "--grace", "1"])
    assert (result.returncode, result.stdout) == (0, "-v --grace 1\n")


# --- exit status -----------------------------------------------------------------------------


@pytest.mark.parametrize("signo", [signal.SIGKILL, signal.SIGUSR1, signal.SIGTERM])
def test_child_killed_by_signal_n_exits_128_plus_n(signo: int) -> None:
    result = run_init(["--", "sh", "-c", f"kill -{int(signo)} $$"])
    assert result.returncode == 128 + signo


def test_e_maps_listed_exit_codes_to_zero_and_only_those() -> None:
    assert run_init(["-e", "3", "-e", "143", "--", "sh", "-c", "exit 3"]).returncode == 0
    assert run_init(["-e", "3", "-e", "143", "--", "sh", "-c", "kill $$"]).returncode == 0
    assert run_init(["-e", "3", "--", "sh", "-c", "exit 4"]).returncode == 4


# --- signal forwarding -----------------------------------------------------------------------

FORWARDED = [
    signal.SIGHUP,
    signal.SIGINT,
    signal.SIGQUIT,
    signal.SIGUSR1,
    signal.SIGUSR2,
    signal.SIGWINCH,
    signal.SIGCONT,
    signal.SIGALRM,
    signal.SIGURG,
    signal.SIGPIPE,
    signal.SIGTTIN,
    signal.SIGABRT,
    signal.SIGRTMIN,
    signal.SIGRTMIN + 5,
    signal.SIGRTMAX,
    signal.SIGUSR1,
]


def test_forwards_each_signal_in_arrival_order_including_realtime(tmp_path: Path) -> None:
    out = tmp_path / "signals"
    with InitRun(["--", *program("recorder", str(out))]) as run:
        wait_ready(out)
        for count, signo in enumerate(FORWARDED, start=1):
            run.kill(signo)
            wait_for(lambda n=count: len(signals_after_ready(out)) >= n, what=f"signal {signo}")
        run.kill(signal.SIGTERM)
        assert run.wait() == 0
    assert signals_after_ready(out) == [int(s) for s in [*FORWARDED, signal.SIGTERM]]


def test_queued_realtime_signals_are_all_forwarded(tmp_path: Path) -> None:
    out = tmp_path / "signals"
    burst = 200
    with InitRun(["--", *program("recorder", str(out))]) as run:
        wait_ready(out)
        for _ in range(burst):
            run.kill(signal.SIGRTMIN + 2)
        wait_for(lambda: len(signals_after_ready(out)) >= burst, what="the whole burst")
        run.kill(signal.SIGTERM)
        assert run.wait() == 0
    assert signals_after_ready(out) == [signal.SIGRTMIN + 2] * burst + [signal.SIGTERM]


def test_sigterm_sent_right_after_start_is_not_lost() -> None:
    # `sleep` has no handler, so a forwarded SIGTERM ends it at once; a lost one would
    # leave the init waiting the whole 30 s.
    for _ in range(10):
        with InitRun(["--", "sleep", "30"]) as run:
            run.wait_child_forked()
            run.kill(signal.SIGTERM)
            started = time.monotonic()
            assert run.wait(timeout=10) == 128 + signal.SIGTERM
            assert time.monotonic() - started < 5


def test_g_forwards_to_the_whole_process_group(tmp_path: Path) -> None:
    out = tmp_path / "signals"
    grandchild = Path(f"{out}.grandchild")
    with InitRun(["-g", "--", *program("recorder", str(out), "--fork")]) as run:
        wait_ready(out)
        wait_ready(grandchild)
        run.kill(signal.SIGUSR1)
        wait_for(lambda: signals_after_ready(grandchild) == [signal.SIGUSR1], what="grandchild")
        run.kill(signal.SIGTERM)
        assert run.wait() == 0
    assert signals_after_ready(out) == [signal.SIGUSR1, signal.SIGTERM]


def test_without_g_only_the_child_gets_the_signal(tmp_path: Path) -> None:
    out = tmp_path / "signals"
    grandchild = Path(f"{out}.grandchild")
    with InitRun(["--", *program("recorder", str(out), "--fork")]) as run:
        wait_ready(out)
        wait_ready(grandchild)
        run.kill(signal.SIGUSR1)
        wait_for(lambda: signals_after_ready(out) == [signal.SIGUSR1], what="child")
        time.sleep(0.3)
        assert signals_after_ready(grandchild) == []


def test_tini_kill_process_group_variable_acts_like_g(tmp_path: Path) -> None:
    out = tmp_path / "signals"
    grandchild = Path(f"{out}.grandchild")
    env = {**os.environ, "TINI_KILL_PROCESS_GROUP": "1"}
    with InitRun(["--", *program("recorder", str(out), "--fork")], env=env) as run:
        wait_ready(grandchild)
        run.kill(signal.SIGUSR2)
        wait_for(lambda: signals_after_ready(grandchild) == [signal.SIGUSR2], what="grandchild")


def test_rewrite_changes_a_signal_and_rewrite_to_zero_drops_it(tmp_path: Path) -> None:
    out = tmp_path / "signals"
    args = ["-r", "USR1:USR2", "--rewrite", "SIGHUP:0", "-r", "15:2"]
    with InitRun([*args, "--", *program("recorder", str(out))]) as run:
        wait_ready(out)
        run.kill(signal.SIGUSR1)
        wait_for(lambda: len(signals_after_ready(out)) == 1, what="the rewritten USR1")
        run.kill(signal.SIGHUP)
        run.kill(signal.SIGTERM)  # arrives as SIGINT
        wait_for(lambda: len(signals_after_ready(out)) == 2, what="the rewritten TERM")
        time.sleep(0.2)
    assert signals_after_ready(out) == [signal.SIGUSR2, signal.SIGINT]


# --- reaping ---------------------------------------------------------------------------------


def test_reaps_a_burst_of_10000_orphans_and_leaves_no_zombie() -> None:
    with InitRun(["--", *program("orphans", "10000")]) as run:
        assert run.process.stdout is not None
        assert run.process.stdout.readline() == b"made 10000\n"
        started = time.monotonic()
        wait_for(
            lambda: count_zombies_in_namespace(run.init_pid) == 0,
            timeout=30,
            what="every orphan to be reaped",
        )
        print(f"10,000 orphans gone {time.monotonic() - started:.2f} s after they were made")
        time.sleep(0.5)
        assert count_zombies_in_namespace(run.init_pid) == 0
        run.kill(signal.SIGTERM)
        assert run.wait() == 128 + signal.SIGTERM


def test_without_an_init_the_same_orphans_stay_zombies() -> None:
    # control for the test above: the Python program itself is PID 1 and reaps nothing
    command = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"]
    with subprocess.Popen(
        [*command, *program("orphans", "200")],
        stdout=subprocess.PIPE,
        start_new_session=True,
    ) as process:
        try:
            assert process.stdout is not None
            assert process.stdout.readline() == b"made 200\n"
            pid1 = children(process.pid)[0]
            time.sleep(0.5)
            assert count_zombies_in_namespace(pid1) == 200
        finally:
            os.killpg(process.pid, signal.SIGKILL)


def test_grace_sends_sigterm_to_the_rest_and_waits_for_them(tmp_path: Path) -> None:
    out = tmp_path / "grandchild"
    started = time.monotonic()
    result = run_init(["--grace", "10", "--", *program("leave_grandchild", str(out), "polite")])
    assert result.returncode == 0
    assert Path(f"{out}.term").read_text() == "TERM"
    assert time.monotonic() - started < 8


def test_grace_ends_with_sigkill_when_the_rest_ignores_sigterm(tmp_path: Path) -> None:
    out = tmp_path / "grandchild"
    started = time.monotonic()
    result = run_init(["--grace", "1", "--", *program("leave_grandchild", str(out), "stubborn")])
    elapsed = time.monotonic() - started
    assert result.returncode == 0
    assert 1.0 <= elapsed < 8


def test_without_grace_the_init_returns_as_soon_as_the_child_is_gone(tmp_path: Path) -> None:
    out = tmp_path / "grandchild"
    started = time.monotonic()
    result = run_init(["--", *program("leave_grandchild", str(out), "polite")])
    assert result.returncode == 0
    assert not Path(f"{out}.term").exists()  # the namespace died with SIGKILL, no SIGTERM
    assert time.monotonic() - started < 8


# --- idle behaviour --------------------------------------------------------------------------


def test_zero_wakeups_while_idle() -> None:
    with InitRun(["--", "sleep", "30"]) as run:
        run.main_child()
        time.sleep(0.3)
        before = proc_status(run.init_pid)["voluntary_ctxt_switches"]
        nonvoluntary = proc_status(run.init_pid)["nonvoluntary_ctxt_switches"]
        time.sleep(2.5)
        after = proc_status(run.init_pid)
        assert after["voluntary_ctxt_switches"] == before
        assert after["nonvoluntary_ctxt_switches"] == nonvoluntary
        assert proc_state(run.init_pid) == "S"


# --- what the child inherits -----------------------------------------------------------------


def child_view(result: subprocess.CompletedProcess[str]) -> dict[str, str]:
    """Parse `cat /proc/self/stat /proc/self/status` run as the init's child (cat, not a
    Python program: Python would ignore SIGPIPE itself)."""
    stat, *status = result.stdout.splitlines()
    fields = stat[stat.rindex(")") + 2 :].split()
    view = {"pgid": fields[2], "sid": fields[3]}
    for line in status:
        key, _, value = line.partition(":")
        view[key] = value.strip()
    return view


REPORT = ["--", "cat", "/proc/self/stat", "/proc/self/status"]


def test_child_gets_default_sigpipe_and_sigxfsz_not_pythons_ignores() -> None:
    view = child_view(run_init(REPORT))
    assert signal_mask(view["SigIgn"]) == set()
    assert signal_mask(view["SigBlk"]) == set()


def test_child_dies_quietly_of_sigpipe_in_a_pipeline() -> None:
    # with SIGPIPE ignored `yes` would get EPIPE and complain on stderr
    result = run_init(["--", "sh", "-c", "yes | head -n 1; exit 0"])
    assert (result.returncode, result.stdout, result.stderr) == (0, "y\n", "")


def test_child_inherits_the_mask_and_ignores_the_init_was_given() -> None:
    def start_with_hup_ignored_and_usr2_blocked() -> None:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2})

    view = child_view(run_init(REPORT, preexec_fn=start_with_hup_ignored_and_usr2_blocked))
    assert signal_mask(view["SigIgn"]) == {signal.SIGHUP}
    assert signal_mask(view["SigBlk"]) == {signal.SIGUSR2}


def test_child_runs_in_its_own_process_group() -> None:
    view = child_view(run_init(REPORT))
    assert view["Pid"] == view["pgid"] == "2"  # PID 1 is the init
    assert view["sid"] != view["Pid"]


# --- logging ---------------------------------------------------------------------------------


def test_v_logs_to_stderr_and_default_is_quiet() -> None:
    quiet = run_init(["--", "true"])
    assert (quiet.stdout, quiet.stderr) == ("", "")
    verbose = run_init(["-vvv", "--", "sh", "-c", "kill -USR1 $$"])
    assert verbose.stdout == ""
    assert "spawned 'sh'" in verbose.stderr
    assert "exited with status 138" in verbose.stderr


def test_empty_program_name_is_not_found() -> None:
    result = run_init(["--", ""])
    assert result.returncode == 127
    assert "No such file or directory" in result.stderr


def loaded_files(pid: int) -> str:
    return Path(f"/proc/{pid}/maps").read_text()


def test_as_pid_1_it_loads_no_extension_module_it_does_not_use() -> None:
    # the subreaper call outside PID 1 needs _ctypes (a shared library); as PID 1 nothing
    # does, and every library loaded would stay in the idle memory
    with InitRun(["--", "sleep", "30"]) as run:
        run.main_child()
        assert "_ctypes" not in loaded_files(run.init_pid)
    with InitRun(["--", "sleep", "30"], namespace=False) as run:
        wait_for(lambda: bool(children(run.init_pid)), what="the child")
        assert "_ctypes" in loaded_files(run.init_pid)  # the control: the check can fail

"""Facts about programs that end up as PID 1, by executable name.

``handles_sigterm`` says whether the program, running as PID 1 with nothing in front of it,
stops on SIGTERM (it installs its own handler); ``None`` means unknown and keeps rules quiet.
"""

from __future__ import annotations

import enum
import functools
import os
from collections.abc import Sequence
from typing import NamedTuple


class Role(enum.Enum):
    INIT = "init"  # reaps zombies and forwards signals
    SUPERVISOR = "supervisor"  # a whole process manager (IL105)
    PACKAGE_RUNNER = "package-runner"  # runs a project script as a child (IL104)
    SHELL = "shell"
    INTERPRETER = "interpreter"
    SERVER = "server"
    UTILITY = "utility"  # a command-line tool used to keep a container alive (sleep, tail -f)


class Program(NamedTuple):
    names: tuple[str, ...]
    role: Role
    handles_sigterm: bool | None = None
    reaps_children: bool | None = None
    orphans_children: bool | None = None
    graceful_stop_signal: str | None = None  # when SIGTERM is not the graceful stop
    # PACKAGE_RUNNER: the sub-commands that run a script ("*" = any but the listed exceptions)
    script_subcommands: tuple[str, ...] = ()
    not_script_subcommands: tuple[str, ...] = ()
    note: str = ""
    # INIT: its options that take a value (to find where the child's argv starts)
    options_with_value: tuple[str, ...] = ()


def _keep_alive(name: str, shown: str = "") -> Program:
    """A keep-alive command: no SIGTERM handler, and it never waits for a child."""
    return Program(
        (name,),
        Role.UTILITY,
        False,
        False,
        note=f"{shown or name} installs no SIGTERM handler; as PID 1 it ignores docker stop; it "
        "never waits for a child, so orphans stay zombies (measured, tests/truth)",
    )


PROGRAMS: tuple[Program, ...] = (
    # inits
    Program(
        ("tini", "tini-static"), Role.INIT, True, True, note="reaps and forwards",
        options_with_value=("-p", "-e"),
    ),
    Program(
        ("dumb-init",), Role.INIT, True, True, note="reaps and forwards to the group",
        options_with_value=("-r", "--rewrite"),
    ),
    Program(
        ("initlint-init",), Role.INIT, True, True, note="initlint's bundled init",
        options_with_value=("-p", "-e", "-r", "--rewrite"),
    ),
    Program(
        ("docker-init",), Role.INIT, True, True, note="tini as installed by docker --init",
        options_with_value=("-p", "-e"),
    ),
    Program(("catatonit",), Role.INIT, True, True, note="podman's minimal init"),
    # whole-system supervisors
    Program(
        ("init",), Role.SUPERVISOR, None, True,
        note="/sbin/init: systemd, sysvinit, busybox or s6-overlay init, depending on the image",
    ),
    Program(
        ("systemd",), Role.SUPERVISOR, False, True, graceful_stop_signal="SIGRTMIN+3",
        note="systemd re-executes itself on SIGTERM; SIGRTMIN+3 is its orderly halt",
    ),
    Program(
        ("systemd", "init"), Role.SUPERVISOR, True, True,
        note="a full init system: logs and app exits hidden from the engine",
    ),
    Program(("supervisord",), Role.SUPERVISOR, True, True, note="Python process supervisor"),
    Program(("runsvdir", "runit", "runit-init"), Role.SUPERVISOR, True, True, note="runit"),
    Program(("openrc", "openrc-init"), Role.SUPERVISOR, True, True, note="OpenRC"),
    Program(("s6-svscan",), Role.SUPERVISOR, True, True, note="s6 supervision tree"),
    # package managers that run project scripts as their child
    Program(
        ("npm",), Role.PACKAGE_RUNNER, False,
        script_subcommands=("start", "run", "run-script", "test", "restart", "exec"),
        note="npm runs the script through sh as a child and does not forward SIGTERM reliably",
    ),
    Program(
        ("yarn",), Role.PACKAGE_RUNNER, False, script_subcommands=("*",),
        not_script_subcommands=("install", "add", "remove", "upgrade", "--version", "-v"),
        note="yarn runs the script as a child process",
    ),
    Program(
        ("pnpm",), Role.PACKAGE_RUNNER, False,
        script_subcommands=("start", "run", "run-script", "test", "exec", "dlx"),
        note="pnpm runs the script as a child process",
    ),
    Program(("npx",), Role.PACKAGE_RUNNER, False, script_subcommands=("*",), note="npm exec"),
    Program(("poetry",), Role.PACKAGE_RUNNER, False, script_subcommands=("run",), note="poetry"),
    Program(("pipenv",), Role.PACKAGE_RUNNER, False, script_subcommands=("run",), note="pipenv"),
    Program(("uv",), Role.PACKAGE_RUNNER, False, script_subcommands=("run",), note="uv run"),
    Program(("bun",), Role.PACKAGE_RUNNER, False, script_subcommands=("run",), note="bun run"),
    Program(
        ("gradle", "gradlew", "./gradlew"), Role.PACKAGE_RUNNER, False,
        script_subcommands=("bootRun", "run"), note="the build tool stays as the parent",
    ),
    Program(
        ("mvn", "mvnw", "./mvnw"), Role.PACKAGE_RUNNER, False,
        script_subcommands=("spring-boot:run", "exec:java"),
        note="the build tool stays as the parent",
    ),
    # shells
    Program(("sh", "dash", "ash", "bash", "zsh", "ksh", "mksh", "busybox"), Role.SHELL, False),
    # interpreters: no SIGTERM handler unless the program installs one
    Program(
        ("python", "python3", "python2", "pypy", "pypy3"), Role.INTERPRETER, False,
        note="Python installs a handler for SIGINT only; as PID 1 SIGTERM is dropped",
    ),
    Program(("node", "nodejs", "deno", "bun"), Role.INTERPRETER, False,
            note="Node has no default SIGTERM handler; as PID 1 SIGTERM is dropped"),
    Program(("ruby", "perl", "php"), Role.INTERPRETER, False, note="no default handler"),
    Program(
        ("java",), Role.INTERPRETER, True, False,
        note="the JVM handles SIGTERM itself (runs shutdown hooks); it reaps only its own "
        "children (measured: orphans stay zombies, tests/truth)",
    ),
    # keep-alive commands: no SIGTERM handler, so as PID 1 SIGTERM is dropped (checked with
    # `unshare --pid --fork` and coreutils 9.1 / busybox 1.35: the process keeps running)
    _keep_alive("sleep"),
    _keep_alive("tail", "tail (-f)"),
    _keep_alive("cat"),
    Program(
        ("yes", "true", "false"), Role.UTILITY, False, note="no SIGTERM handler",
    ),
    Program(
        ("dotnet",), Role.INTERPRETER, True,
        note="the .NET host stops the app on SIGTERM (AppDomain.ProcessExit / IHostLifetime)",
    ),
    # servers that handle SIGTERM as PID 1
    Program(
        ("nginx",), Role.SERVER, True, True, graceful_stop_signal="SIGQUIT",
        note="SIGTERM is nginx's fast shutdown; SIGQUIT lets workers finish requests",
    ),
    Program(
        ("httpd", "apache2", "apachectl"), Role.SERVER, True, True,
        graceful_stop_signal="SIGWINCH",
        note="SIGTERM stops Apache at once; SIGWINCH is its graceful stop",
    ),
    Program(
        (
            "php-fpm", "php-fpm8", "php-fpm7", "php-fpm81", "php-fpm82", "php-fpm83",
            "php-fpm7.4", "php-fpm8.1", "php-fpm8.2", "php-fpm8.3", "php-fpm8.4",
        ),
        Role.SERVER, True, True, graceful_stop_signal="SIGQUIT",
        note="SIGTERM stops php-fpm at once; SIGQUIT is its graceful stop",
    ),
    Program(("postgres", "postmaster"), Role.SERVER, True, True, note="smart shutdown"),
    Program(("redis-server",), Role.SERVER, True, note="saves and exits on SIGTERM"),
    Program(("mysqld", "mariadbd"), Role.SERVER, True, note="shuts down on SIGTERM"),
    Program(("memcached",), Role.SERVER, True, note="exits on SIGTERM"),
    Program(("gunicorn",), Role.SERVER, True, True, note="arbiter handles SIGTERM, reaps workers"),
    Program(("uvicorn", "hypercorn", "daphne"), Role.SERVER, True, note="handle SIGTERM"),
    Program(("celery",), Role.SERVER, True, True, note="worker: warm shutdown on SIGTERM"),
    Program(("haproxy",), Role.SERVER, True, True, note="handles SIGTERM"),
    Program(("traefik", "caddy", "envoy"), Role.SERVER, True, note="Go/C++ servers with handlers"),
    Program(
        (
            "consul", "vault", "nomad", "prometheus", "alertmanager", "grafana", "grafana-server",
            "etcd", "minio", "coredns", "influxd", "telegraf", "node_exporter", "loki",
            "promtail", "registry", "dockerd", "containerd", "kube-apiserver", "gitea",
        ),
        Role.SERVER, True,
        note="Go servers: the Go runtime turns SIGTERM into a signal the program handles; these "
             "stop on it (their docs describe graceful shutdown on SIGTERM)",
    ),
    Program(("mongod", "mongos"), Role.SERVER, True, note="clean shutdown on SIGTERM"),
    Program(("sshd",), Role.SERVER, True, note="exits on SIGTERM"),
    Program(("puma", "unicorn", "sidekiq"), Role.SERVER, True, note="Ruby servers: TERM stops"),
    Program(("varnishd",), Role.SERVER, True, note="stops on SIGTERM"),
    Program(("mosquitto",), Role.SERVER, True, note="stops on SIGTERM"),
    Program(
        ("chromium", "chromium-browser", "google-chrome", "chrome", "headless_shell"),
        Role.SERVER, None, False, True,
        note="headless Chrome leaves zombie renderer/helper processes without an init",
    ),
)  # fmt: skip

_BY_NAME: dict[str, Program] = {}
for _program in PROGRAMS:
    for _name in _program.names:
        _BY_NAME.setdefault(_name, _program)


@functools.lru_cache(maxsize=4096)  # asked ~20 times per container of a 10,000-Pod stream
def program_name(executable: str) -> str:
    """The name a program is known by: basename without a version suffix like ``python3.12``."""
    base = os.path.basename(executable.rstrip("/"))
    if base.startswith("python") and base[6:].replace(".", "").isdigit():
        return "python3" if base[6:7] == "3" else "python"
    return base


def lookup(executable: str) -> Program | None:
    return _BY_NAME.get(program_name(executable))


_DURATION_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
# A sleep this long outlasts docker stop's default grace period (10 s).
_KEEP_ALIVE_SECONDS = 10.0


def keeps_alive(argv: Sequence[str], grace_seconds: float = _KEEP_ALIVE_SECONDS) -> bool:
    """``sleep infinity``, ``sleep 3600``, ``tail -f FILE``: a command that only keeps the
    container running, and outlasts the grace period (``sleep 1`` ends by itself)."""
    if not argv:
        return False
    name = program_name(argv[0])
    if name == "sleep":
        total = 0.0
        for word in argv[1:]:
            if word in ("infinity", "inf"):
                return True
            unit = word[-1:] if word[-1:] in "smhd" else ""
            try:
                total += float(word[: len(word) - len(unit)]) * _DURATION_UNITS[unit]
            except ValueError:
                return False  # $SECONDS and the like: not known
        return total >= grace_seconds
    if name == "tail":
        return any(w in ("-f", "-F", "--follow") or w.startswith("--follow=") for w in argv[1:])
    return False


# Commands that do one job and exit (a script ending with one is a task, not a service): a
# stop only matters while they run. Subcommands or options after which they keep running.
ONE_SHOT: dict[str, frozenset[str]] = {
    "git": frozenset({"daemon"}),
    "kubectl": frozenset({"proxy", "port-forward", "-f", "--follow", "-w", "--watch", "wait"}),
    "helm": frozenset(),
    "curl": frozenset(),
    "wget": frozenset(),
    "ab": frozenset(),
    "tmshutdown": frozenset(),
    "aws": frozenset(),
    "gcloud": frozenset(),
    "az": frozenset(),
    "tar": frozenset(),
    "cp": frozenset(),
    "mv": frozenset(),
    "rm": frozenset(),
    "chmod": frozenset(),
    "chown": frozenset(),
    "mkdir": frozenset(),
    "ln": frozenset(),
    "touch": frozenset(),
    "sed": frozenset(),
    "envsubst": frozenset(),
    "jq": frozenset(),
    "psql": frozenset(),
    "pg_dump": frozenset(),
    "pg_restore": frozenset(),
    "mysqldump": frozenset(),
    "mysqladmin": frozenset(),
    "sqlcmd": frozenset(),
    "terraform": frozenset(),
    "ansible-playbook": frozenset(),
    "openssl": frozenset({"s_server"}),
    "ssh-keygen": frozenset(),
}


def is_one_shot(argv: Sequence[str]) -> bool:
    """``git push``, ``kubectl version``, ``curl ...``: the command ends by itself."""
    if not argv:
        return False
    keeps_running = ONE_SHOT.get(program_name(argv[0]))
    return keeps_running is not None and not any(word in keeps_running for word in argv[1:])


def is_go_binary(executable: str, go_binaries: Sequence[str]) -> bool:
    """``executable`` is one of the image paths a Go build stage's binaries were COPY'd to
    (by name when PATH finds it)."""
    if not go_binaries or "$" in executable:
        return False
    if executable.startswith("/"):
        return executable in go_binaries
    return any(path.rsplit("/", 1)[-1] == executable for path in go_binaries)

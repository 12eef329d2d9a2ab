"""Who does what with a stop signal, by program name: data, with where each fact comes from.

Measured by the truth matrix (tests/truth, ``docker stop -t 2``) unless noted otherwise.
"""

from __future__ import annotations

from typing import NamedTuple

# Signals a runtime handles by itself, whatever the app's code does.
DEFAULT_HANDLERS: dict[str, frozenset[str]] = {
    # CPython installs signal.default_int_handler for SIGINT (KeyboardInterrupt), nothing for
    # SIGTERM (Python docs, "signal"); measured: python3 as PID 1 ends on SIGINT (exit 130)
    "python": frozenset({"SIGINT"}),
    # the JVM runs its shutdown hooks on SIGTERM, SIGINT and SIGHUP (java.lang.Runtime docs);
    # measured: java as PID 1 ends on SIGTERM (143) and SIGINT (130)
    "java": frozenset({"SIGTERM", "SIGINT", "SIGHUP"}),
}


class InitForwarding(NamedTuple):
    """How an init passes the stop signal on: to its child only, or to its process group."""

    to_group: bool  # by default
    group_options: tuple[str, ...] = ()  # options that make it signal the group
    child_options: tuple[str, ...] = ()  # options that make it signal the child only


INIT_FORWARDING: dict[str, InitForwarding] = {
    # tini signals its child unless -g (tini README); docker-init is tini
    "tini": InitForwarding(False, group_options=("-g",)),
    "tini-static": InitForwarding(False, group_options=("-g",)),
    "docker-init": InitForwarding(False, group_options=("-g",)),
    # dumb-init runs the child in a new session and signals the whole group unless
    # -c/--single-child (dumb-init README)
    "dumb-init": InitForwarding(True, child_options=("-c", "--single-child")),
    # initlint's own init takes tini's command line (initlint/init.py)
    "initlint-init": InitForwarding(False, group_options=("-g",)),
}

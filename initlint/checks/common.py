"""Helpers several rules share: where a program was written, exec-form words, JSON mistakes."""

from __future__ import annotations

import json

from initlint.knowledge.images import base_facts
from initlint.knowledge.programs import Role, keeps_alive, lookup
from initlint.model import Command, CommandForm, LaunchKind, RuntimeSpec, Span, Startup
from initlint.pid1.argv import init_child_argv
from initlint.pid1.shell_syntax import plain_words
from initlint.pid1.startup import located_argv


def program_source(spec: RuntimeSpec, pid1: Startup) -> tuple[Command, Span] | None:
    """The command that names the program PID 1 runs, and the most precise span for it."""
    placed = located_argv(spec)
    launch = pid1.launch
    if launch.script_index is not None:
        index = launch.script_index
        if pid1.init is not None and pid1.init.how == "argv":
            index += len(pid1.argv) - len(init_child_argv(pid1.argv))
    else:
        index = len(pid1.argv) - len(launch.program)
    if not 0 <= index < len(placed):
        return None
    command, word = placed[index]
    return command, (word.span if word is not None and _is_exec(command) else command.span)


def _is_exec(command: Command) -> bool:
    return command.form is CommandForm.EXEC


def exec_form_words(script: str) -> tuple[str, ...] | None:
    """Exec-form words equivalent to a shell-form command, or None when it needs a shell.

    A leading ``exec`` is dropped: in exec form the program is exec'd anyway.
    """
    words = plain_words(script)
    if words is None:
        return None
    if words[0] == "exec":
        words = words[1:]
        if not words or words[0].startswith("-"):
            return None
    return words


def json_problem(script: str) -> str | None:
    """Why a command written like a JSON array is not one (Docker then runs it in a shell).

    Only text that starts with ``["`` or ``['`` and ends with ``]`` counts: ``[ -f x ] && y``
    is a shell test, not a broken array.
    """
    text = script.strip()
    if not (text.startswith("[") and text.endswith("]") and text[1:].lstrip()[:1] in "\"'"):
        return None
    try:
        json.loads(text)
    except ValueError as error:
        if _parses(text.replace("'", '"')):
            return "it uses single quotes, and JSON needs double quotes"
        if _without_trailing_comma(text) is not None:
            return "it has a trailing comma"
        return f"it is not valid JSON ({str(error.args[0]).split(':')[0].lower()})"
    return None


def _parses(text: str) -> bool:
    try:
        value = json.loads(text)
    except ValueError:
        return False
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _without_trailing_comma(text: str) -> str | None:
    body = text[:-1].rstrip()
    if not body.endswith(","):
        return None
    candidate = body[:-1] + "]"
    return candidate if _parses(candidate) else None


def repaired_json_words(script: str) -> tuple[str, ...] | None:
    """The words a broken JSON array obviously meant (trailing comma, single quotes)."""
    text = script.strip()
    for candidate in (text, text.replace("'", '"')):
        for attempt in (candidate, _without_trailing_comma(candidate)):
            if attempt is not None and _parses(attempt):
                words = tuple(json.loads(attempt))
                if words:
                    return words
    return None


def shell_form_matters(pid1: Startup | None, spec: RuntimeSpec) -> bool:
    """What the shell form makes PID 1 is a problem the shell-form rules can state.

    True when the shell stays PID 1 (or does not exist), and when the shell execs a program
    known to have no SIGTERM handler (sleep, a shell, Python or Node without one). False
    when the shell execs any other program (PID 1 is then what exec form gives), when /bin/sh
    is unknown and the program might handle SIGTERM, and when the app's own evidence decides
    (IL202 reports an app without a handler).
    """
    if pid1 is None:
        return False
    launch = pid1.launch
    known = lookup(launch.program[0]) if launch.program else None
    if known is not None and known.role is Role.SHELL and len(launch.program) == 1:
        return False  # `CMD /bin/bash`: an interactive shell for `docker run -it`, ends at EOF
    if (
        launch.kind is LaunchKind.SHELL
        and known is not None
        and known.role is Role.UTILITY
        and not keeps_alive(launch.program, spec.grace_seconds)
    ):
        return False  # `sh -c "sleep 10"` in a pod: it ends before the grace period does
    if launch.kind in (LaunchKind.SHELL, LaunchKind.NO_SHELL):
        return True
    if known is None or known.handles_sigterm is not False or known.role is Role.PACKAGE_RUNNER:
        return False
    if known.role is Role.UTILITY and not keeps_alive(launch.program, spec.grace_seconds):
        return False  # `sleep 1`: it ends by itself
    evidence = spec.evidence
    return evidence is None or evidence.sigterm_handled is None


_SYSTEMD_PATHS = frozenset({"/lib/systemd/systemd", "/usr/lib/systemd/systemd"})
_INIT_PATHS = frozenset({"/sbin/init", "/usr/sbin/init"})


def system_init(executable: str, spec: RuntimeSpec) -> str | None:
    """Which whole-system init ``executable`` is: "systemd", "s6-overlay", or None.

    ``/init`` is s6-overlay's when the image installs it (or its base image, such as the
    linuxserver.io images, does); ``/sbin/init`` is systemd when the image installs or
    configures systemd.
    """
    mentions = " ".join(run.value for run in spec.run_commands)
    facts = base_facts(spec)
    if executable == "/init" and (
        "s6-overlay" in mentions or (facts and facts.init == "s6-overlay")
    ):
        return "s6-overlay"
    if executable in _SYSTEMD_PATHS or (
        executable in _INIT_PATHS and ("systemd" in mentions or "systemctl" in mentions)
    ):
        return "systemd"
    return None

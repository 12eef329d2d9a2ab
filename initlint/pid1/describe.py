"""The words every message shares: what will be PID 1, and what ``docker stop`` will do.

Every message names the process that will be PID 1 and what happens on ``docker stop``, in
one sentence. Rules put their own lead in front of :func:`pid1_sentence`.
"""

from __future__ import annotations

from initlint.knowledge.programs import Role, is_go_binary, lookup, program_name
from initlint.knowledge.signals import same_signal, signal_display, signal_number
from initlint.model import Command, Launch, LaunchKind, RuntimeSpec, SourceKind, Startup
from initlint.pid1.script_stop import bash_exit_trap_catches_term
from initlint.pid1.startup import shell_label

_QUOTE_LIMIT = 60
_WHOLE_GRACE = "wait the whole grace period, then SIGKILL"


def quote(text: str) -> str:
    """``"python3 app.py"``, shortened in the middle of long scripts."""
    flat = " ".join(text.split())
    if len(flat) > _QUOTE_LIMIT:
        flat = flat[: _QUOTE_LIMIT - 3].rstrip() + "..."
    return f'"{flat}"'


def stop_name(spec: RuntimeSpec) -> str:
    return "pod termination" if spec.source_kind is SourceKind.KUBERNETES else "docker stop"


def stop_signal(spec: RuntimeSpec) -> str:
    if spec.stop_signal is None:
        return "SIGTERM"
    return signal_display(spec.stop_signal.value)


def program_label(launch: Launch) -> str:
    """The program by the name it is known by (``python3``), or as written when unknown."""
    if launch.program:
        head = launch.program[0]
        if "$" not in head:
            return program_name(head)
    return quote(launch.program_text)


def launch_phrase(launch: Launch, spec: RuntimeSpec) -> str:
    """``python3 will be PID 1``, ``/bin/sh (dash) will be PID 1 running "..."``."""
    if launch.kind is LaunchKind.PROGRAM:
        name = program_label(launch)
        if launch.shell is None:
            return f"{name} will be PID 1"
        shell = shell_label(launch.shell, launch.family)
        if launch.inline is not None and launch.inline.verdict.value == "explicit-exec":
            return f"{name} will be PID 1 (exec'd by {shell})"
        return f"{name} will be PID 1 ({shell} execs it)"
    shell = shell_label(launch.executable, launch.family)
    if launch.kind is LaunchKind.SHELL:
        return f"{shell} will be PID 1 running {quote(launch.program_text)}"
    if launch.kind is LaunchKind.SHELL_DEPENDS:
        base = f"base image {spec.base_image}" if spec.base_image else "the image"
        return (
            f"{shell} will be PID 1 running {quote(launch.program_text)} if it is dash, or exec "
            f"{program_label(launch)} if it is bash or busybox ash (which shell /bin/sh is in "
            f"{base} is unknown)"
        )
    return f"the container will not start: {launch.executable} does not exist in the image"


def command_key(spec: RuntimeSpec, command: Command) -> str:
    """How the user wrote the command: ``ENTRYPOINT``/``CMD`` in a Dockerfile, ``entrypoint``/
    ``command`` in compose, ``command``/``args`` in Kubernetes."""
    if command.span.path != spec.path or spec.source_kind in (SourceKind.DOCKERFILE,
                                                              SourceKind.IMAGE):  # fmt: skip
        return "ENTRYPOINT" if command.role == "entrypoint" else "CMD"
    if spec.source_kind is SourceKind.KUBERNETES:
        return "command" if command.role == "entrypoint" else "args"
    return "entrypoint" if command.role == "entrypoint" else "command"


# inits that are not in the container's argv and do not run the app: the app is simply not
# PID 1 of its PID namespace (the pod's pause container, the host's init)
_OUTSIDE_INITS = {
    "share-process-namespace": "the pod's pause container will be PID 1 (shareProcessNamespace)",
    "host-pid": "the host's init will be PID 1 (the container shares the host's PID namespace)",
}


def _shares_namespace(pid1: Startup) -> bool:
    return pid1.init is not None and pid1.init.how in _OUTSIDE_INITS


def pid1_phrase(pid1: Startup, spec: RuntimeSpec) -> str:
    if pid1.init is None:
        return launch_phrase(pid1.launch, spec)
    if pid1.init.how in _OUTSIDE_INITS:
        phrase = launch_phrase(pid1.launch, spec).replace(" will be PID 1 running", " will run", 1)
        running = phrase.replace(" will be PID 1", " will run", 1)
        outside = _OUTSIDE_INITS[pid1.init.how]
        return f"{outside} and reap orphans, and {running} as an ordinary process"
    child = pid1.launch
    if child.kind is LaunchKind.PROGRAM:
        return f"{pid1.init.name} will be PID 1 running {program_label(child)}"
    return (
        f"{pid1.init.name} will be PID 1 running {shell_label(child.executable, child.family)}, "
        f"which runs {quote(child.program_text)}"
    )


def launch_stop_phrase(launch: Launch, spec: RuntimeSpec) -> str:
    """What the stop signal does to ``launch`` when it is PID 1."""
    stop, signal = stop_name(spec), stop_signal(spec)
    if launch.kind is LaunchKind.SHELL:
        inline = launch.inline
        number = signal_number(signal)
        program = program_label(launch)
        if (
            inline is not None
            and same_signal(signal, "SIGTERM")
            and bash_exit_trap_catches_term(launch.family, inline.trapped)
        ):
            return (
                f"bash catches {stop}'s {signal} to run its EXIT trap and ends at once: "
                f"{program} never gets the signal and is SIGKILLed with the container"
            )
        if inline is not None and number is not None and number in inline.trapped:
            # measured: a shell runs a trap only between commands
            return (
                f"the shell runs its {signal} trap only once {program} ends, so {stop} will "
                f"{_WHOLE_GRACE}"
            )
        return f"{stop} will {_WHOLE_GRACE}"
    if launch.kind is LaunchKind.SHELL_DEPENDS:
        return f"with dash {stop} will {_WHOLE_GRACE}"
    if launch.kind is LaunchKind.NO_SHELL:
        return f"{stop} has nothing to stop"
    name = program_label(launch)
    known = lookup(launch.program[0]) if launch.program else None
    if (
        known is None
        and launch.program
        and is_go_binary(launch.program[0], spec.go_binaries)
        and same_signal(signal, "SIGTERM")
    ):
        return f"{stop}'s {signal} will stop it (a Go binary: the Go runtime exits on it)"
    if known is None or known.handles_sigterm is None:
        return (
            f"{stop}'s {signal} will be ignored unless {name} installs a handler for it "
            "(the kernel drops signals PID 1 has no handler for)"
        )
    graceful = known.graceful_stop_signal
    if graceful is not None and not same_signal(signal, graceful):
        if known.handles_sigterm:
            return (
                f"{stop}'s {signal} will stop {name} at once rather than gracefully "
                f"({graceful} is its graceful stop)"
            )
        return f"{name} will not stop on {stop}'s {signal} ({graceful} is its orderly stop)"
    if known.handles_sigterm:
        return f"{stop}'s {signal} will stop it"
    if known.role is Role.PACKAGE_RUNNER:
        return (
            f"{name} does not reliably pass {stop}'s {signal} on to the script it runs, "
            f"so {stop} may {_WHOLE_GRACE}"
        )
    if known.role in (Role.UTILITY, Role.SHELL):
        return (
            f"{name} has no {signal} handler (the kernel drops signals PID 1 does not handle), "
            f"so {stop} will {_WHOLE_GRACE}"
        )
    return f"unless {name} installs a {signal} handler, {stop} will {_WHOLE_GRACE}"


def stop_phrase(pid1: Startup, spec: RuntimeSpec) -> str:
    if pid1.init is None:
        return launch_stop_phrase(pid1.launch, spec)
    stop, signal = stop_name(spec), stop_signal(spec)
    child = pid1.launch
    if _shares_namespace(pid1):
        target = (
            program_label(child)
            if child.kind is LaunchKind.PROGRAM
            else shell_label(child.executable, child.family)
        )
        return (
            f"{stop}'s {signal} goes to {target}, which is not PID 1, so the signal's default "
            "action ends it unless it installs a handler"
        )
    if child.kind is LaunchKind.PROGRAM:
        return f"{stop}'s {signal} will be forwarded to {program_label(child)}"
    shell = shell_label(child.executable, child.family)
    return f"{stop}'s {signal} will be forwarded to {shell}, not to {program_label(child)}"


def pid1_sentence(pid1: Startup, spec: RuntimeSpec) -> str:
    """``/bin/sh (dash) will be PID 1 running "x" and docker stop will wait ...``."""
    return f"{pid1_phrase(pid1, spec)} and {stop_phrase(pid1, spec)}"


def unreadable_script(shell: str, script: str) -> str:
    """For a script initlint cannot read: say who runs it and that the rest is unknown."""
    return (
        f"{shell} will be PID 1 running {quote(script)} unless the script execs a program, "
        "and initlint cannot read the script to tell what docker stop will do"
    )

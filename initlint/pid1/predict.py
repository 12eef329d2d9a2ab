"""One prediction per runtime: what will be PID 1, what the stop signal does, who reaps.

It is computed once, from the runtime's argv (:mod:`initlint.pid1.startup`) and, when the
build context was read, from the chain the evidence layer followed into the app's files
(``spec.evidence.chain``). Rules read it; ``--probe`` measures the same fields.
"""

from __future__ import annotations

from initlint.knowledge.programs import Program, Role, is_go_binary, lookup, program_name
from initlint.knowledge.signal_handling import DEFAULT_HANDLERS, INIT_FORWARDING
from initlint.knowledge.signals import same_signal, signal_number
from initlint.model import (
    InitInfo,
    LaunchKind,
    Link,
    LinkRole,
    Prediction,
    ReapVerdict,
    RuntimeSpec,
    ScriptFacts,
    ShellFamily,
    Startup,
    StopVerdict,
)
from initlint.pid1.argv import find_init, shell_family_of
from initlint.pid1.describe import (
    pid1_sentence,
    quote,
    stop_name,
    stop_signal,
    unreadable_script,
)
from initlint.pid1.script_stop import Forwarding, script_stop
from initlint.pid1.startup import shell_label, startup_of, system_shell

# inits that are not in the container's argv: the app is not PID 1 of its namespace
_OUTSIDE = frozenset({"share-process-namespace", "host-pid"})
_RUNTIME_INIT_WHY = {
    "compose-init": "compose init: true runs docker-init (tini) as PID 1",
    "share-process-namespace": "shareProcessNamespace: the pod's pause container is PID 1",
    "host-pid": "the container shares the host's PID namespace: the host's init is PID 1",
    "image": "the image's ENTRYPOINT starts an init",
    "argv": "an init at the head of the argv",
}
_ROLES: dict[Role, LinkRole] = {Role.INIT: "init", Role.SHELL: "shell"}


def predict(spec: RuntimeSpec) -> Prediction:
    """The prediction for ``spec`` (its evidence included, when the loader attached it)."""
    startup = startup_of(spec)
    signal = stop_signal(spec)
    chain = _chain(spec, startup, signal)
    pid1 = next((link for link in chain if link.is_pid1), None)
    stop, reaps = _verdicts(spec, chain, pid1)
    return Prediction(
        path=spec.span.path,
        line=spec.span.line,
        target=spec.name,
        chain=chain,
        pid1=pid1.argv if pid1 is not None else (),
        stop=stop,
        signal=signal,
        receiver=_receiver(pid1, startup),
        reaps=reaps,
        why=_why(spec, startup, pid1, stop),
        startup=startup,
        system_shell=system_shell(spec),
    )


# --- the chain --------------------------------------------------------------------------


def _chain(spec: RuntimeSpec, startup: Startup | None, signal: str) -> tuple[Link, ...]:
    links: list[Link] = []
    init = spec.init
    outside = init is not None and init.how != "argv"
    if init is not None and outside:
        links.append(_runtime_init(init))
    evidence = spec.evidence
    if evidence is not None and evidence.chain:
        body = list(evidence.chain)
    elif startup is not None:
        body = _static_chain(startup, signal, spec.go_binaries)
    elif spec.argv:
        body = [Link("unknown", spec.argv, "initlint cannot read what the argv runs", None, None)]
    else:
        body = []
    if outside:
        body = [_not_pid1(link) for link in body]
    elif body and not any(link.is_pid1 for link in body):
        body[0] = _as_pid1(body[0])
    return tuple(links + body)


def _runtime_init(init: InitInfo) -> Link:
    return Link(
        "runtime-init",
        (init.name,),
        _RUNTIME_INIT_WHY.get(init.how, "an init the runtime adds"),
        handles_stop=True,
        reaps=True,
        is_pid1=True,
        span=init.span,
    )


def _not_pid1(link: Link) -> Link:
    return (
        link
        if not link.is_pid1
        else Link(
            link.role, link.argv, link.evidence, link.handles_stop, link.reaps, False, link.span
        )
    )


def _as_pid1(link: Link) -> Link:
    return Link(link.role, link.argv, link.evidence, link.handles_stop, link.reaps, True, link.span)


def _static_chain(startup: Startup, signal: str, go_binaries: tuple[str, ...] = ()) -> list[Link]:
    """The chain as far as the argv tells, without the app's files."""
    links: list[Link] = []
    if startup.init is not None and startup.init.how == "argv":
        why = _RUNTIME_INIT_WHY["argv"]
        links.append(Link("init", startup.argv, why, True, True, True, startup.init.span))
    first = not links
    launch = startup.launch
    number = signal_number(signal)
    if launch.shell is not None:
        inline = launch.inline
        shell = shell_label(launch.shell, launch.family)
        argv = (launch.shell, "-c", launch.program_text)
        if launch.kind is LaunchKind.PROGRAM:
            links.append(Link("shell", argv, f"{shell} execs {quote(launch.program_text)}"))
        elif launch.kind is LaunchKind.SHELL:
            trapped = inline is not None and number is not None and number in inline.trapped
            why = inline.why if inline is not None and inline.why else f"{shell} stays"
            # a shell waiting for its foreground command collects any child: it reaps
            links.append(Link("shell", argv, why, trapped, True, first))
            first = False
        elif launch.kind is LaunchKind.SHELL_DEPENDS:
            why = f"whether {shell} execs the last command depends on which shell it is"
            links.append(Link("shell", argv, why, None, None, first))
            return links
        else:
            links.append(Link("shell", argv, f"{launch.shell} does not exist in the image"))
            return links
    if launch.program:
        links.append(_program_link(launch.program, signal, first, go_binaries))
    return links


def _program_link(
    argv: tuple[str, ...], signal: str, is_pid1: bool, go_binaries: tuple[str, ...] = ()
) -> Link:
    known = lookup(argv[0]) if "$" not in argv[0] else None
    if known is None and is_go_binary(argv[0], go_binaries):
        why = "a Go binary (COPY'd from a golang build stage): the Go runtime exits on SIGTERM"
        handles_term = True if same_signal(signal, "SIGTERM") else None
        return Link("program", argv, why, handles_term, None, is_pid1)
    if known is None:
        why = f"{program_name(argv[0])} is not a program initlint knows"
        return Link("unknown" if "$" in argv[0] else "program", argv, why, None, None, is_pid1)
    role: LinkRole = _ROLES.get(known.role, "program")
    if known.role is Role.INTERPRETER and program_name(argv[0]).startswith(("python", "pypy")):
        role = "python"
    elif known.role is Role.INTERPRETER and program_name(argv[0]).startswith("node"):
        role = "node"
    why = known.note or f"{program_name(argv[0])}: {known.role.value}"
    handled = handles(known, signal)
    if role in ("python", "node"):
        # without the app's sources (no build context was read) its handlers are unknown
        handled = None
        why = f"{why}; the app's sources were not read"
    return Link(role, argv, why, handled, known.reaps_children, is_pid1)


def handles(program: Program, signal: str) -> bool | None:
    """Whether ``program`` as PID 1 stops on ``signal`` (None: unknown)."""
    if same_signal(signal, "SIGTERM"):
        return program.handles_sigterm
    if program.graceful_stop_signal is not None and same_signal(
        signal, program.graceful_stop_signal
    ):
        return True
    return None


# --- the verdicts -----------------------------------------------------------------------


def _verdicts(
    spec: RuntimeSpec, chain: tuple[Link, ...], pid1: Link | None
) -> tuple[StopVerdict, ReapVerdict]:
    if pid1 is None or not spec.argv:
        return "unknown", "unknown"
    signal = stop_signal(spec)
    if same_signal(signal, "SIGKILL"):
        return "graceful", _reaps(pid1)
    if pid1.role in ("init", "runtime-init"):
        if spec.init is not None and spec.init.how in _OUTSIDE:
            # the app is an ordinary process: the signal's default action ends it
            return "graceful", "yes"
        after = chain[chain.index(pid1) + 1 :]
        child = next((link for link in after if not _passes_on(link, after)), None)
        return _behind_init(spec, pid1, child, signal), _reaps(pid1)
    return _pid1_stop(spec, pid1, signal), _reaps(pid1)


def _passes_on(link: Link, chain: tuple[Link, ...]) -> bool:
    """A launcher, or a shell that execs the next link: it is not there when the signal is."""
    if link.role == "launcher":
        return True
    execs = link.role == "shell" and link.handles_stop is None and link.reaps is None
    return execs and link is not chain[-1]


def _stop(handles: bool | None) -> StopVerdict:
    return "unknown" if handles is None else "graceful" if handles else "grace-period"


def _script(spec: RuntimeSpec) -> tuple[ScriptFacts, ShellFamily] | None:
    evidence = spec.evidence
    if evidence is None or evidence.script is None:
        return None
    facts = evidence.script
    return facts, shell_family_of(facts.interpreter, system_shell(spec))


def _pid1_stop(spec: RuntimeSpec, pid1: Link, signal: str) -> StopVerdict:
    """PID 1 gets the signal itself: the kernel drops it unless PID 1 has a handler."""
    if pid1.role == "shell":
        # a shell that stays waits for its foreground command, and so does its trap
        return "unknown" if pid1.handles_stop is None else "grace-period"
    if pid1.role == "shell-script":
        script = _script(spec)
        if script is None:
            return "unknown"
        facts, family = script
        if not same_signal(signal, "SIGTERM"):
            return "unknown" if facts.trapped else "grace-period"
        verdict = script_stop(facts, family, Forwarding.PID1).verdict
        return verdict if verdict in ("graceful", "grace-period") else "unknown"  # type: ignore[return-value]
    if same_signal(signal, "SIGTERM"):
        return _stop(pid1.handles_stop)
    return _stop(_handles_other(pid1, signal))


def _handles_other(link: Link, signal: str) -> bool | None:
    """Whether the program of ``link`` handles a stop signal other than SIGTERM."""
    if not link.argv:
        return None
    name = "python" if link.role == "python" else program_name(link.argv[0])
    if any(same_signal(signal, handled) for handled in DEFAULT_HANDLERS.get(name, ())):
        return True
    if link.role == "python":
        return None  # the app may install one
    known = lookup(link.argv[0])
    if known is None:
        return None
    if known.graceful_stop_signal and same_signal(signal, known.graceful_stop_signal):
        return True
    # a program that installs no SIGTERM handler (sleep, tail, node) installs none at all
    return False if known.handles_sigterm is False else None


# Signals a shell waiting for a foreground command holds until the command ends (it then
# decides whether it was meant for it too: bash and dash "wait and cooperative exit").
_WAITED_OUT = ("SIGINT", "SIGQUIT")


def _behind_init(spec: RuntimeSpec, init: Link, child: Link | None, signal: str) -> StopVerdict:
    """The init forwards the signal to its child (or the child's whole process group); the
    child is no PID 1, so the signal's default action applies to it."""
    if child is None:
        return "unknown"
    group = _signals_group(init)
    if child.role == "shell":
        if child.handles_stop is None:
            return "unknown"
        if group:
            return "graceful"
        if any(same_signal(signal, waited) for waited in _WAITED_OUT):
            return "grace-period"
        return "grace-period" if child.handles_stop else "graceful"
    script = _script(spec)
    if child.role == "shell-script":
        if script is None or not same_signal(signal, "SIGTERM"):
            return "unknown"
        facts, family = script
        forwarding = Forwarding.GROUP if group else Forwarding.CHILD
        verdict = script_stop(facts, family, forwarding).verdict
        return verdict if verdict in ("graceful", "grace-period") else "unknown"  # type: ignore[return-value]
    if script is not None and script[0].term_ignored and script[0].ending == "exec":
        # exec'd with SIGTERM ignored: only a handler of its own makes it stop
        return "graceful" if child.handles_stop else "grace-period"
    return "graceful"


def _signals_group(init: Link) -> bool:
    """Whether the init signals its child's whole process group."""
    if init.role == "runtime-init":
        return INIT_FORWARDING["docker-init"].to_group
    found = find_init(init.argv)
    forwarding = INIT_FORWARDING.get(found.name) if found is not None else None
    if forwarding is None:
        return False
    options = set(init.argv[1 : init.argv.index("--")] if "--" in init.argv else init.argv[1:])
    if options & set(forwarding.group_options):
        return True
    if options & set(forwarding.child_options):
        return False
    return forwarding.to_group


def _reaps(link: Link) -> ReapVerdict:
    if link.reaps is None:
        return "unknown"
    return "yes" if link.reaps else "no"


def _receiver(pid1: Link | None, startup: Startup | None) -> str:
    if pid1 is None or not pid1.argv:
        return ""
    if pid1.role == "shell" and startup is not None and startup.launch.shell is not None:
        return shell_label(startup.launch.shell, startup.launch.family)
    if pid1.role == "runtime-init":
        return pid1.argv[0]
    init = find_init(pid1.argv) if pid1.role == "init" else None
    return init.name if init is not None else program_name(pid1.argv[0])


def _why(spec: RuntimeSpec, startup: Startup | None, pid1: Link | None, stop: StopVerdict) -> str:
    if startup is not None and _static_agrees(spec, startup, pid1):
        return pid1_sentence(startup, spec)
    if pid1 is None or not pid1.argv:
        return "nothing to run: no ENTRYPOINT or CMD is known"
    name = quote(" ".join(pid1.argv))
    if pid1.role == "unknown":
        command = spec.pid1_command
        if command is not None and command.script is not None and command.shell:
            return unreadable_script(command.shell[0], command.script.value)
        return f"{name} will be PID 1, and what {stop_name(spec)} does is unknown ({pid1.evidence})"
    outcome = {
        "graceful": f"{stop_name(spec)}'s {stop_signal(spec)} will stop it",
        "grace-period": f"{stop_name(spec)} will wait the whole grace period, then SIGKILL",
        "unknown": f"what {stop_name(spec)}'s {stop_signal(spec)} does is unknown",
    }[stop]
    return f"{name} will be PID 1 and {outcome} ({pid1.evidence})"


def _static_agrees(spec: RuntimeSpec, startup: Startup, pid1: Link | None) -> bool:
    """The argv alone tells the whole story: no deeper link of the evidence became PID 1."""
    evidence = spec.evidence
    if evidence is None or not evidence.chain or pid1 is None:
        return True
    if pid1.role in ("init", "runtime-init") or spec.init is not None:
        return True
    launch = startup.launch
    if launch.kind is LaunchKind.SHELL:
        return pid1.role == "shell"
    return pid1.role == "program" and tuple(launch.program) == pid1.argv

"""RuntimeSpec: everything about one container that decides what PID 1 will be and do."""

from __future__ import annotations

from typing import NamedTuple

from initlint.model.core import (
    Command,
    CommandForm,
    InitInfo,
    Located,
    ShellFamily,
    SourceKind,
    Span,
    StopSignal,
)
from initlint.model.evidence import AppEvidence
from initlint.model.image import ImageFacts


class RuntimeSpec(NamedTuple):
    """Everything about one container that decides what PID 1 will be and do."""

    source_kind: SourceKind
    path: str
    name: str  # stage name or index, service, container
    span: Span  # where the container is defined (FROM, service key, container item)
    base_image: str | None  # the external image at the root of the FROM chain
    shell_family: ShellFamily
    entrypoint: Command | None
    cmd: Command | None
    stop_signal: StopSignal | None = None
    stop_grace_seconds: float | None = None
    init: InitInfo | None = None
    user: str | None = None
    # earlier ENTRYPOINT/CMD of the same stage, overridden by a later one
    overridden: tuple[Command, ...] = ()
    # the CMD that ENTRYPOINT reset (the base image's CMD does not run): kept for messages
    reset_cmd: Command | None = None
    build_context: str | None = None
    # what is known of base_image: read from the local engine when it has the image, else
    # guessed from the name (knowledge.images); None for sources that do not say
    base_facts: ImageFacts | None = None
    # RUN commands of the stage chain (for evidence such as "installs python3")
    run_commands: tuple[Located, ...] = ()
    # what the app in the build context does (initlint.evidence); None: not looked at
    evidence: AppEvidence | None = None
    # Kubernetes ``lifecycle.preStop`` hook (the command or HTTP path), run before the signal
    pre_stop: Located | None = None
    # a container that runs to completion ("a Kubernetes Job", "a compose one-off service"):
    # a stop only matters when it is cut short, so its findings are informational
    runs_to_completion: str | None = None
    # paths in the image of binaries COPY'd from a stage built FROM golang (or running go
    # build): Go programs stop on SIGTERM as PID 1 (the runtime's handler exits when nothing
    # is notified)
    go_binaries: tuple[str, ...] = ()

    @property
    def argv(self) -> tuple[str, ...]:
        """The effective argv of PID 1: ENTRYPOINT + CMD (CMD is ignored after a shell form)."""
        head = self.entrypoint.argv if self.entrypoint else ()
        if self.entrypoint and self.entrypoint.form is CommandForm.SHELL:
            return head
        tail = self.cmd.argv if self.cmd else ()
        return head + tail

    @property
    def grace_seconds(self) -> float:
        """How long a stop waits before SIGKILL: as set, else docker's 10 s or the pod's 30 s."""
        if self.stop_grace_seconds is not None:
            return self.stop_grace_seconds
        return 30.0 if self.source_kind is SourceKind.KUBERNETES else 10.0

    @property
    def pid1_command(self) -> Command | None:
        """The piece whose first word becomes PID 1."""
        if self.entrypoint is not None:
            return self.entrypoint
        return self.cmd

"""App evidence for any runtime a loader returned, from the AppFiles it said where to find:
a Dockerfile's build context, a compose service's mounted code, or (with no files to read)
what the knowledge tables say of a known PID 1 program."""

from __future__ import annotations

from collections.abc import Mapping

from initlint.evidence.known_programs import known_program_evidence
from initlint.model import AppEvidence, RuntimeSpec
from initlint.sources.app_files import AppFiles


def app_evidence(
    spec: RuntimeSpec, files: AppFiles | None, overrides: Mapping[str, str] | None = None
) -> AppEvidence | None:
    """What ``spec``'s PID 1 runs and does, read from ``files``; None when nothing is known.
    Best effort: a failure initlint did not foresee leaves the evidence unknown (the rules
    that need it stay quiet) rather than failing the whole file."""
    if files is None or not spec.argv:
        return known_program_evidence(spec)
    try:
        if files.model is not None and files.dockerfile_spec is not None:
            from initlint.evidence import collect_evidence

            return collect_evidence(files.dockerfile_spec, files.model, files.root, overrides)
        return _mounted_evidence(spec, files, overrides)
    except Exception:  # see the docstring
        return None


def with_app_evidence(
    spec: RuntimeSpec, files: AppFiles | None, overrides: Mapping[str, str] | None = None
) -> RuntimeSpec:
    evidence = app_evidence(spec, files, overrides)
    return spec._replace(evidence=evidence) if evidence is not None else spec


def _mounted_evidence(
    spec: RuntimeSpec, files: AppFiles, overrides: Mapping[str, str] | None
) -> AppEvidence:
    """Bind-mounted code: each mount puts a project file or folder at its target path."""
    from initlint.evidence.context import BuildContext, Copy
    from initlint.evidence.package_scripts import with_package_script
    from initlint.evidence.resolve import Resolver, environment
    from initlint.knowledge.images import base_facts
    from initlint.pid1.startup import system_shell

    context = BuildContext(files.root, overrides=dict(overrides or {}))
    context.known_dirs.add(files.workdir)
    for source, target in files.mounts:
        path = files.root / source
        context.copies.append(Copy((str(path),), target, into_directory=path.is_dir()))
    env = environment(files.workdir, {}, system_shell(spec))
    entrypoint_known = spec.entrypoint is not None or base_facts(spec).entrypoint is not None
    evidence = Resolver(context, env).evidence(spec.argv, entrypoint_known)
    return with_package_script(evidence, spec, context, files.workdir)

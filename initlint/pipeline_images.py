"""Built images in the pipeline: ``--image`` lints an image's config and files, ``--probe``
runs it and measures what ``docker stop`` really does. The Docker SDK is imported only here."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from initlint.errors import InputError

if TYPE_CHECKING:
    from initlint.config import ConfigResolver
    from initlint.pipeline_options import LintOptions, RuleChoice
    from initlint.results import FileReport


def lint_images(
    options: LintOptions, choose: RuleChoice, resolver: ConfigResolver
) -> tuple[list[FileReport], list[InputError]]:
    """One report per image; a missing image is one error and the others are still linted."""
    from initlint.checks.runner import run_rules
    from initlint.evidence.image import load_image_specs
    from initlint.pipeline_options import internal_error
    from initlint.results import FileReport
    from initlint.sources.image import relocate_findings

    files: list[FileReport] = []
    errors: list[InputError] = []
    for ref in options.images:
        path = f"image:{ref}"
        report = FileReport(path)
        try:
            (spec,) = load_image_specs([ref], pull=options.pull)
            rules = choose(resolver.for_file(path), path)
            run = run_rules(spec, rules)
            if run.prediction is not None:
                report.runtimes = [run.prediction]
            report.findings = sorted(
                relocate_findings(spec, run.findings), key=lambda f: f.sort_key()
            )
            report.snippets = ["" for _ in report.findings]
            if run.failures:
                failure = run.failures[0]
                report.error = internal_error(path, failure.error, failure.where)
                errors.append(report.error)
        except InputError as error:
            report.error = error
            errors.append(error)
        except Exception as error:
            report.error = internal_error(path, error)
            errors.append(report.error)
        files.append(report)
    return files, errors


def probe_images_report(
    options: LintOptions, choose: RuleChoice, resolver: ConfigResolver
) -> tuple[list[FileReport], list[InputError]]:
    """Run each ``--probe`` image and report what was measured (numbers kept for JSON): the
    measured prediction goes through run_rules, so the selected rules report it."""
    from initlint.checks.runner import run_rules
    from initlint.engine.probe import measured_prediction, probe_images, probe_spec
    from initlint.pipeline_options import internal_error
    from initlint.results import FileReport

    if not options.probes:
        return [], []
    try:
        results = probe_images(
            list(options.probes),
            wait=options.probe_wait,
            jobs=options.jobs,
            progress=sys.stderr.isatty(),
        )
    except InputError as error:
        return [], [error]
    files: list[FileReport] = []
    errors: list[InputError] = []
    for result in results:
        report = FileReport(f"image:{result.reference}")
        report.probe = result.to_dict()
        if result.error:
            report.error = InputError(report.path, f"probe failed: {result.error}")
            errors.append(report.error)
        else:
            measured = measured_prediction(result)
            report.runtimes = [measured]
            rules = choose(resolver.for_file(report.path), report.path)
            run = run_rules(probe_spec(result), rules, measured)
            report.findings = sorted(run.findings, key=lambda f: f.sort_key())
            report.snippets = ["" for _ in report.findings]
            if run.failures:
                failure = run.failures[0]
                report.error = internal_error(report.path, failure.error, failure.where)
                errors.append(report.error)
        files.append(report)
    return files, errors

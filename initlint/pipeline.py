"""From paths to reports: discover -> read -> load -> rules -> suppressions -> FileReports.

Every input is handled on its own: an input that cannot be read or parsed (or that trips a
bug in initlint) becomes one InputError for that input, and the others are still linted.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, BinaryIO

from initlint.checks.base import Rule
from initlint.checks.runner import run_rules
from initlint.config import Config, ConfigResolver, Threshold
from initlint.discovery import Input, discover, is_dockerfile_name
from initlint.errors import InputError
from initlint.evidence import attach_evidence
from initlint.exclusion import Excluder
from initlint.ignores import comment_warnings, find_suppressions
from initlint.inputs import read_input
from initlint.model import Edit, Finding, Prediction
from initlint.pipeline_options import LintOptions as LintOptions
from initlint.pipeline_options import RuleChoice
from initlint.pipeline_options import command_line_selection as command_line_selection
from initlint.pipeline_options import default_rules as default_rules
from initlint.pipeline_options import enabled_rules as enabled_rules
from initlint.pipeline_options import internal_error as internal_error
from initlint.pipeline_workers import forking_is_safe, ordered_map, worker_count
from initlint.reading import MAX_INPUT_BYTES, check_dockerfile_size, read_text_file
from initlint.results import FileReport, Linted, RunReport
from initlint.sources.dockerfile import FactsProvider, build_model, runtime_spec
from initlint.sources.dockerfile_syntax import DockerfileSyntax, parse_dockerfile

if TYPE_CHECKING:  # the fix machinery is imported only with --fix / --diff
    from initlint.fixes.plan import FixOutcome
    from initlint.results import YamlLinted


def facts_provider(options: LintOptions, config: Config | None = None) -> FactsProvider | None:
    """Base-image facts from the local Docker engine, when asked for (``--local-base-images``
    or ``local-base-images = true``); the Docker SDK is imported only then."""
    wanted = options.use_docker
    if wanted is None:
        wanted = config.local_base_images if config is not None else False
    if not wanted:
        return None
    from initlint.engine.base_facts import local_image_facts

    return local_image_facts


# --- snippets -----------------------------------------------------------------------------


class _Snippets:
    """The source text of the instruction each finding starts on (other files: its lines)."""

    def __init__(self, path: str, text: str, syntax: DockerfileSyntax) -> None:
        self.path = path
        self.lines = [line.rstrip("\r") for line in text.split("\n")]
        self.instructions = syntax.instructions
        self.starts = [instruction.span.line for instruction in syntax.instructions]
        self._other_files: dict[str, list[str] | None] = {}

    def _lines_of(self, path: str) -> list[str] | None:
        if path == self.path:
            return self.lines
        if path not in self._other_files:
            try:
                text = read_text_file(path, MAX_INPUT_BYTES, errors="replace")
                self._other_files[path] = text.split("\n")
            except OSError:
                self._other_files[path] = None
        return self._other_files[path]

    def __call__(self, finding: Finding) -> str:
        span = finding.span
        first, last = span.line, span.end_line
        if span.path == self.path:
            index = bisect.bisect_right(self.starts, span.line) - 1
            if index >= 0 and self.instructions[index].span.end_line >= span.line:
                found = self.instructions[index].span
                first, last = found.line, found.end_line
        lines = self._lines_of(span.path)
        if lines is None:
            return ""
        return "\n".join(line.strip() for line in lines[first - 1 : last])


# --- linting ------------------------------------------------------------------------------


def lint_text(
    text: str,
    path: str,
    rules: Sequence[Rule],
    target: str | None = None,
    facts_provider: FactsProvider | None = None,
    overrides: Mapping[str, str] | None = None,
    context_dir: str | None = None,
) -> tuple[list[Finding], list[str], list[InputError]]:
    """Lint one Dockerfile's text with ``rules``: findings, their snippets, rule failures."""
    linted = lint_dockerfile_text(text, path, rules, target, facts_provider, overrides, context_dir)
    return linted.findings, linted.snippets, linted.failures


def lint_dockerfile_text(
    text: str,
    path: str,
    rules: Sequence[Rule],
    target: str | None = None,
    facts_provider: FactsProvider | None = None,
    overrides: Mapping[str, str] | None = None,
    context_dir: str | None = None,
) -> Linted:
    """Lint one Dockerfile's text with ``rules``: findings, snippets, failures, prediction.

    A rule that raises does not stop the others: its failure comes back as an InputError.
    """
    syntax = parse_dockerfile(text, path)
    model = build_model(syntax, facts_provider)
    # the app in the build context; ``overrides``: files a fix being verified would write
    spec = attach_evidence(
        runtime_spec(model, target), model, path, context_dir, overrides=overrides
    )
    run = run_rules(spec, rules)
    failures = [internal_error(path, f.error, f.where) for f in run.failures]
    findings = find_suppressions(syntax).filter(run.findings, path)
    findings.sort(key=Finding.sort_key)
    snippet = _Snippets(path, text, syntax)
    runtimes = [run.prediction] if run.prediction is not None else []
    return Linted(findings, [snippet(finding) for finding in findings], failures, runtimes)


def planned_edits(
    text: str, path: str, findings: Sequence[Finding], target: str | None, strategy: str | None
) -> dict[int, tuple[Edit, ...]]:
    """The edits each finding's fix would make, where the fixer can say (text edits only).

    Best effort for reports: a fix the fixer cannot plan is simply left without edits.
    """
    if not any(finding.fix and finding.fix.intent for finding in findings):
        return {}
    from initlint.fixes.dockerfile import dockerfile_fixer
    from initlint.fixes.plan import FixPlan

    try:
        fixer = dockerfile_fixer(text, path, target, strategy or "auto")
    except Exception:  # the fixer is optional for reporting
        return {}
    edits: dict[int, tuple[Edit, ...]] = {}
    for index, finding in enumerate(findings):
        if finding.fix is None or finding.fix.intent is None:
            continue
        try:
            plan = fixer.plan(finding)
        except Exception:
            continue
        if isinstance(plan, FixPlan) and plan.edits and not plan.writes:
            edits[index] = plan.edits
    return edits


def fix_input(
    item: Input,
    text: str,
    rules: Sequence[Rule],
    options: LintOptions,
    strategy: str,
    config: Config | None = None,
) -> FixOutcome:
    """Apply the allowed fixes; with ``fix_mode == "fix"`` write the results atomically."""
    from initlint.fixes.dockerfile import fix_dockerfile_text

    if item.is_stdin and options.fix_mode == "fix":
        raise InputError(item.path, "cannot fix standard input in place: use --diff", 1)

    provider = facts_provider(options, config)
    if item.kind == "yaml":
        from initlint.fixes.yaml_fix import fix_yaml_text

        def lint_yaml_text(current: str, _overrides: Mapping[str, str] = {}, /) -> list[Finding]:
            return lint_yaml_document(current, item.path, rules, provider).findings

        outcome = fix_yaml_text(
            text, item.path, lint_yaml_text, options.unsafe_fixes, strategy=strategy
        )
        _note_created(outcome)
        return _write(outcome) if options.fix_mode == "fix" else outcome

    def lint(current: str, overrides: Mapping[str, str] = {}, /) -> list[Finding]:
        return lint_text(
            current,
            item.path,
            rules,
            options.target,
            provider,
            overrides=dict(overrides),
            context_dir=options.context,
        )[0]

    outcome = fix_dockerfile_text(
        text,
        item.path,
        lint,
        target=options.target,
        strategy=strategy,
        unsafe=options.unsafe_fixes,
        facts_provider=provider,
    )
    _note_created(outcome)
    return _write(outcome) if options.fix_mode == "fix" else outcome


def _write(outcome: FixOutcome) -> FixOutcome:
    """Write a fix; one that would change more than the text (split hard links, lose the
    owner) is not written and says why, and the findings stay as they were."""
    from initlint.fixes.engine import WriteRefused, write_outcome
    from initlint.fixes.plan import FixOutcome

    if not outcome.changed:
        return outcome
    try:
        write_outcome(outcome)
    except WriteRefused as refused:
        kept = FixOutcome(outcome.path, outcome.original, outcome.original)
        kept.skipped.append(f"nothing written: {refused}")
        return kept
    return outcome


def _note_created(outcome: FixOutcome) -> None:
    outcome.created = [w.path for w in outcome.writes if not os.path.lexists(w.path)]


def lint_input(
    item: Input,
    choose: RuleChoice,
    resolver: ConfigResolver,
    options: LintOptions,
    stdin: BinaryIO | None = None,
) -> tuple[FileReport, list[InputError]]:
    report = FileReport(item.path)
    errors: list[InputError] = []
    if item.skipped:
        report.skipped = item.skipped
        return report, errors
    try:
        config = resolver.for_file(item.path)
        report.failure_threshold = (
            Threshold.parse(options.failure_threshold)
            if options.failure_threshold is not None
            else config.failure_threshold
        )
        text = read_input(item, stdin)
        item = with_kind(item, text)
        if item.kind == "dockerfile":
            check_dockerfile_size(item.path, text)
        report.warnings = [
            f"{item.path}:{line}: warning: {message}"
            for line, message in comment_warnings(text, choose.known_ids)
        ]
        chosen = choose(config, item.path)
        if item.kind == "yaml":
            return _lint_yaml_input(item, text, chosen, options, config, report)
        if options.fix_mode != "off":
            strategy = options.init_strategy or config.init_strategy or "auto"
            report.fix = fix_input(item, text, chosen, options, strategy, config)
            text = report.fix.fixed
        linted = lint_dockerfile_text(
            text,
            item.path,
            chosen,
            options.target,
            facts_provider(options, config),
            context_dir=options.context,
        )
        report.findings, report.snippets, errors = linted.findings, linted.snippets, linted.failures
        report.runtimes = linted.runtimes
        if options.fix_edits and report.findings:
            report.fix_edits = planned_edits(
                text, item.path, report.findings, options.target, config.init_strategy
            )
    except InputError as error:
        if error.path == item.path and error.line is None:
            error.line = 1
        errors.append(error)
    except RecursionError as error:
        errors.append(InputError(item.path, f"too deeply nested to lint ({error})", 1))
    except Exception as error:
        errors.append(internal_error(item.path, error))
    if len(errors) > 1:  # one line per input: several failing rules are named together
        first = errors[0]
        more = len(errors) - 1
        errors = [
            InputError(first.path, f"{first.message} (and {more} more rule failure(s))", first.line)
        ]
    if errors:
        report.error = errors[0]
    return report, errors


def with_kind(item: Input, text: str) -> Input:
    """Decide from the content what a named file or stdin is (folders decide by name)."""
    if item.kind:
        return item
    named_dockerfile = is_dockerfile_name(os.path.basename(item.path))
    if item.is_stdin and item.path.startswith("<"):  # no --stdin-filename: the content decides
        named_dockerfile = False
    if named_dockerfile and not item.path.endswith((".yaml", ".yml")):
        return item._replace(kind="dockerfile")  # no YAML machinery to import
    from initlint.sources.yaml_inputs import is_yaml_name, looks_like_yaml_input

    yaml = is_yaml_name(item.path) or (not named_dockerfile and looks_like_yaml_input(text))
    return item._replace(kind="yaml" if yaml else "dockerfile")


def lint_yaml(
    text: str, path: str, rules: Sequence[Rule]
) -> tuple[list[Finding], list[str], list[InputError], list[str]]:
    linted = lint_yaml_document(text, path, rules)
    return linted.findings, linted.snippets, linted.failures, linted.notes


def lint_yaml_document(
    text: str, path: str, rules: Sequence[Rule], provider: FactsProvider | None = None
) -> YamlLinted:
    from initlint.pipeline_yaml import lint_yaml_outcome

    return lint_yaml_outcome(text, path, rules, internal_error, provider)


def _lint_yaml_input(
    item: Input,
    text: str,
    rules: Sequence[Rule],
    options: LintOptions,
    config: Config,
    report: FileReport,
) -> tuple[FileReport, list[InputError]]:
    """A compose file or Kubernetes manifests; a discovered file that is neither is skipped."""
    try:
        if options.fix_mode != "off":
            strategy = options.init_strategy or config.init_strategy or "auto"
            report.fix = fix_input(item, text, rules, options, strategy)
            text = report.fix.fixed
        linted = lint_yaml_document(text, item.path, rules, facts_provider(options, config))
        report.findings, report.snippets, errors = linted.findings, linted.snippets, linted.failures
        report.runtimes = linted.runtimes
    except InputError as error:
        from initlint.sources.yaml_inputs import NotComposeOrKubernetes, is_compose_name

        # a file named as compose on the command line must be one, as for docker compose
        named_compose = not item.discovered and is_compose_name(item.path)
        skip = item.discovered or (isinstance(error, NotComposeOrKubernetes) and not named_compose)
        if skip and error.path == item.path:
            report.skipped = f"line {error.line or 1}: {error.message}"
            return report, []
        raise
    if options.fix_edits and report.findings:
        from initlint.fixes.yaml_fix import planned_yaml_edits

        report.fix_edits = planned_yaml_edits(text, item.path, report.findings)
    if errors:
        report.error = errors[0]
    return report, errors[:1]


def _drop_repeated(
    report: FileReport, seen: set[tuple[str, str, int, int, str]], elsewhere_only: bool = False
) -> None:
    """A compose file reports the services it ``include``s: when the included file is linted
    too, each finding is reported once. Dockerfiles (``elsewhere_only``) that run the same
    entrypoint script report what is wrong in the script once."""
    kept: list[int] = []
    own = os.path.realpath(report.path)
    real: dict[str, str] = {}  # a stream's 10,000 findings name the same file or two
    for index, finding in enumerate(report.findings):
        path = finding.span.path
        if path not in real:
            real[path] = os.path.realpath(path)
        elsewhere = real[path] != own
        if elsewhere_only and not elsewhere:
            kept.append(index)
            continue
        container = "" if elsewhere_only else finding.container
        key = (finding.rule_id, finding.span.path, finding.span.line, finding.span.column,
               container)  # fmt: skip
        if key not in seen:
            seen.add(key)
            kept.append(index)
    if len(kept) == len(report.findings):
        return
    report.findings = [report.findings[i] for i in kept]
    report.snippets = [report.snippets[i] for i in kept] if report.snippets else []
    report.fix_edits = {
        new: report.fix_edits[old] for new, old in enumerate(kept) if old in report.fix_edits
    }


def _new_runtimes(runtimes: list[Prediction], seen: set[tuple[str, int, str]]) -> list[Prediction]:
    """A service an included compose file defines is predicted once, not once per includer."""
    kept: list[Prediction] = []
    real: dict[str, str] = {}  # one realpath per file, not per container of a big stream
    for prediction in runtimes:
        if prediction.path not in real:
            real[prediction.path] = os.path.realpath(prediction.path)
        key = (real[prediction.path], prediction.line, prediction.target)
        if key not in seen:
            seen.add(key)
            kept.append(prediction)
    return kept


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cycle collector off while one input is linted.

    Loading a big YAML stream makes hundreds of thousands of small objects that all stay
    alive; each full collection walks all of them, and they ran often enough to make a
    5,000-item List 5x slower (12 s instead of 2.4 s). The models are not cyclic garbage:
    what one input leaves behind is collected after it, as usual.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _lint_inputs(
    inputs: Sequence[Input],
    choose: RuleChoice,
    resolver: ConfigResolver,
    options: LintOptions,
    stdin: BinaryIO | None,
) -> Iterator[tuple[FileReport, list[InputError]]]:
    """Each input's report, in order: in worker processes when a read-only run has many."""

    def lint_one(item: Input) -> tuple[FileReport, list[InputError]]:
        with _no_cycle_collection():
            return lint_input(item, choose, resolver, options, stdin)

    # in order, in this process: fixes (a compose service sees the init its Dockerfile got),
    # standard input, and a process with other threads (a Docker client's, a caller's)
    in_order = (
        options.fix_mode != "off" or any(item.is_stdin for item in inputs) or not forking_is_safe()
    )
    workers = 1 if in_order else worker_count(options.jobs, len(inputs))
    if workers == 1:
        return (lint_one(item) for item in inputs)
    return ordered_map(lint_one, inputs, workers)


def run(
    paths: Iterable[str],
    options: LintOptions | None = None,
    rules: Sequence[Rule] | None = None,
    stdin: BinaryIO | None = None,
) -> RunReport:
    """Lint everything ``paths`` names. Raises InputError only for a bad command line."""
    options = options or LintOptions()
    all_rules = tuple(rules) if rules is not None else default_rules()
    cli = command_line_selection(options, all_rules)
    resolver = ConfigResolver([rule.id for rule in all_rules], options.config_path)
    empty: list[str] = []
    excluder = Excluder(resolver.for_file, options.exclusion)
    inputs, errors = discover(paths, excluder, options.stdin_filename, empty) if paths else ([], [])
    choose = RuleChoice(all_rules, cli)
    files: list[FileReport] = []
    reported: set[str] = set()
    if options.images or options.probes:
        from initlint.pipeline_images import lint_images, probe_images_report

        image_files, image_errors = lint_images(options, choose, resolver)
        probe_files, probe_errors = probe_images_report(options, choose, resolver)
        files.extend(image_files + probe_files)
        errors.extend(image_errors + probe_errors)
    if options.fix_mode != "off":
        # Dockerfiles first: a compose service then sees the init its Dockerfile got
        inputs.sort(key=lambda item: item.kind == "yaml")
    seen_findings: set[tuple[str, str, int, int, str]] = set()
    seen_runtimes: set[tuple[str, int, str]] = set()
    for item, (report, problems) in zip(
        inputs, _lint_inputs(inputs, choose, resolver, options, stdin)
    ):
        if item.kind == "yaml":
            _drop_repeated(report, seen_findings)
        elif options.fix_mode == "off":
            _drop_repeated(report, seen_findings, elsewhere_only=True)
        report.runtimes = _new_runtimes(report.runtimes, seen_runtimes)
        files.append(report)
        for problem in problems:
            # a broken configuration file would otherwise be reported once per Dockerfile
            if str(problem) not in reported:
                reported.add(str(problem))
                errors.append(problem)
    return RunReport(files, errors, all_rules, empty)

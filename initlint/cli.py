"""The ``initlint`` command: parse options, run the pipeline, print, exit 0 / 1 / 2.

Kept thin and cheap to import: the pipeline, loaders, rules and report formats are imported
inside the command, so ``initlint --version`` starts in a few dozen milliseconds.
"""

from __future__ import annotations

import functools
import os
import sys

from initlint import __version__
from initlint.report import FORMATS

# not ``from typing import TYPE_CHECKING``: importing typing costs ~2 ms of every start-up
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, NoReturn

    import click

    from initlint.checks.base import Rule

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
THRESHOLDS = ("error", "warning", "info", "none")
INIT_STRATEGIES = ("auto", "python", "tini", "compose", "none")


def _print_version(context: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not context.resilient_parsing:
        sys.stdout.write(f"initlint {__version__}\n")
        context.exit(EXIT_OK)


def _split_selectors(values: Sequence[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _fail(message: str) -> NoReturn:
    _error_line(f"initlint: error: {message}")
    sys.exit(EXIT_ERROR)


def _one_line(text: str) -> str:
    return " ".join(text.split("\n"))


def _error_line(text: str) -> None:
    sys.stderr.write(_one_line(text) + "\n")
    sys.stderr.flush()


def _find_rule(rules: Sequence[Rule], wanted: str) -> Rule | None:
    key = wanted.strip().lower()
    return next((r for r in rules if key in (r.id.lower(), r.name.lower())), None)


def _list_rules(rules: Sequence[Rule]) -> str:
    width = max((len(rule.name) for rule in rules), default=0)
    lines = [
        f"{rule.id}  {rule.name:<{width}}  {rule.severity.label:<7}  "
        f"fix: {rule.fix.value:<6}  {rule.summary}"
        for rule in sorted(rules, key=lambda rule: rule.id)
    ]
    return "\n".join(lines) + "\n"


def _use_color(choice: bool | None, output: str | None) -> bool:
    if choice is not None:
        return choice
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def _write(text: str, output: str | None) -> None:
    if output is None:
        try:
            sys.stdout.write(text)
        except UnicodeEncodeError:  # a file name that is not valid in the terminal's encoding
            encoding = sys.stdout.encoding or "utf-8"
            sys.stdout.flush()
            sys.stdout.buffer.write(text.encode(encoding, errors="backslashreplace"))
        sys.stdout.flush()
        return
    try:
        # surrogateescape: file names that are not UTF-8 come out as the bytes they are
        with open(output, "w", encoding="utf-8", errors="surrogateescape") as handle:
            handle.write(text)
    except OSError as error:
        _fail(f"cannot write {output}: {error.strerror or error}")


@functools.cache
def build_command() -> click.Command:
    """The click command (built on first use: importing click costs ~40 ms of cold start)."""
    import click

    from initlint import cli_conventions

    @click.command(
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
        epilog=cli_conventions.EPILOG,
    )
    @click.argument("paths", nargs=-1, type=str)
    @click.option(
        "--format",
        "-f",
        "output_format",
        type=click.Choice(FORMATS),
        default="text",
        show_default=True,
        help="Output format.",
    )
    @click.option("--output", "-o", metavar="FILE", help="Write the report to FILE, not stdout.")
    @click.option(
        "--select",
        multiple=True,
        metavar="IDS",
        help="Only these rules: ids or prefixes, comma-separated (IL101,IL2; ALL).",
    )
    @click.option(
        "--ignore", multiple=True, metavar="IDS", help="Skip these rules: ids or prefixes."
    )
    @click.option(
        "--failure-threshold",
        type=click.Choice(THRESHOLDS),
        help="Exit 1 only for findings at or above this severity [default: info, or the config].",
    )
    @click.option("--target", metavar="STAGE", help="Lint this build stage (default: the last).")
    @click.option(
        "--context",
        type=click.Path(exists=True, file_okay=False),
        help="The build context the app is read from [default: the Dockerfile's folder].",
    )
    @click.option(
        "--config",
        "config_path",
        metavar="FILE",
        help="Use this pyproject.toml / .initlint.toml instead of the nearest one.",
    )
    @click.option(
        "--color/--no-color",
        default=None,
        help="Colour the text output [default: on a terminal, unless NO_COLOR is set].",
    )
    @click.option("--list-rules", is_flag=True, help="List the rules and exit.")
    @click.option("--explain", metavar="ID", help="Print a rule's documentation page and exit.")
    @click.option("--fix", is_flag=True, help="Apply safe fixes to the files in place.")
    @click.option(
        "--diff", is_flag=True, help="Print what --fix would change as a diff; write nothing."
    )
    @click.option(
        "--unsafe-fixes", is_flag=True, help="With --fix/--diff: also apply unsafe fixes."
    )
    @click.option(
        "--init-strategy",
        type=click.Choice(INIT_STRATEGIES),
        help="How fixes put an init in front of PID 1 [default: auto, or the config].",
    )
    @click.option(
        "--image",
        "images",
        multiple=True,
        metavar="REF",
        help="Lint a built image from the local engine (repeatable; - reads refs from stdin).",
    )
    @click.option("--pull", is_flag=True, help="Pull --image references that are not local.")
    @click.option(
        "--probe",
        "probes",
        multiple=True,
        metavar="REF",
        help="Run the image (no network), stop it and report what really happened.",
    )
    @click.option(
        "--probe-wait",
        type=click.FloatRange(min=0),
        default=3.0,
        show_default=True,
        help="Seconds to let a probed container settle before stopping it.",
    )
    @click.option(
        "--jobs",
        type=click.IntRange(min=0),
        default=0,
        help="Probes run at once [default: one per core, at most 4].",
    )
    @click.option(
        "--print-init",
        is_flag=True,
        help="Print the standalone initlint-init file that fixes vendor, and exit.",
    )
    @click.option(
        "--version",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_print_version,
        help="Print the version and exit.",
    )
    @cli_conventions.options
    def cli(
        paths: tuple[str, ...],
        output_format: str,
        output: str | None,
        select: tuple[str, ...],
        ignore: tuple[str, ...],
        failure_threshold: str | None,
        target: str | None,
        context: str | None,
        config_path: str | None,
        color: bool | None,
        list_rules: bool,
        explain: str | None,
        fix: bool,
        diff: bool,
        unsafe_fixes: bool,
        init_strategy: str | None,
        images: tuple[str, ...],
        pull: bool,
        probes: tuple[str, ...],
        probe_wait: float,
        jobs: int,
        print_init: bool,
        **conventions: Any,
    ) -> None:
        """Find PID 1 problems in Dockerfiles, compose files and Kubernetes manifests.

        PATHS are files, folders (searched for Dockerfile, Dockerfile.*, *.Dockerfile,
        *.dockerfile, Containerfile, compose.yaml, docker-compose.yml, compose.*.yaml, and
        *.yaml/*.yml Kubernetes manifests) or - for standard input (a Dockerfile, or YAML
        such as `helm template . | initlint -`); default: the current folder.

        Exit status: 0 no finding at or above the failure threshold, 1 findings, 2 usage or
        input error.
        """
        if print_init:
            from initlint.fixes.vendoring import vendored_init

            _write(vendored_init(), output)
            sys.exit(EXIT_OK)
        if fix and diff:
            _fail("--fix and --diff exclude each other: --diff only shows what --fix would do")

        from initlint.pipeline import default_rules

        rules = default_rules()
        if list_rules:
            _write(_list_rules(rules), output)
            sys.exit(EXIT_OK)
        if explain is not None:
            found = _find_rule(rules, explain)
            if found is None:
                _fail(f"unknown rule {explain!r} (see initlint --list-rules)")
            from initlint.report.rule_docs import explain as explain_rule

            _write(explain_rule(found), output)
            sys.exit(EXIT_OK)

        if "-" in images:
            from initlint.sources.image import read_refs

            images = tuple(ref for ref in images if ref != "-") + tuple(read_refs(sys.stdin))
        if not paths and conventions.get("stdin_filename"):
            paths = ("-",)
        sys.exit(
            _lint(
                paths or (() if images or probes else (".",)),
                rules,
                output_format=output_format,
                output=output,
                select=select,
                ignore=ignore,
                failure_threshold=failure_threshold,
                target=target,
                context=context,
                config_path=config_path,
                color=_use_color(color, output),
                fix_mode="fix" if fix else "diff" if diff else "off",
                unsafe_fixes=unsafe_fixes,
                init_strategy=init_strategy,
                images=images,
                pull=pull,
                probes=probes,
                probe_wait=probe_wait,
                jobs=jobs,
                conventions=conventions,
            )
        )

    return cli


def _lint(paths: Sequence[str], rules: Sequence[Rule], **options: Any) -> int:
    conventions: dict[str, Any] = options.pop("conventions", {})
    import click

    from initlint import cli_conventions
    from initlint.errors import InputError
    from initlint.pipeline import LintOptions, command_line_selection, run
    from initlint.report import render

    if options["select"] and not _split_selectors(options["select"]):
        raise click.BadParameter(
            "needs at least one rule id or prefix (ALL selects every rule)",
            param_hint="'--select'",
        )
    lint_options = LintOptions(
        select=_split_selectors(options["select"]) if options["select"] else None,
        ignore=_split_selectors(options["ignore"]),
        failure_threshold=options["failure_threshold"],
        target=options["target"],
        context=options["context"],
        config_path=options["config_path"],
        fix_edits=options["output_format"] == "sarif",
        fix_mode=options["fix_mode"],
        unsafe_fixes=options["unsafe_fixes"],
        init_strategy=options["init_strategy"],
        images=options["images"],
        pull=options["pull"],
        probes=options["probes"],
        probe_wait=options["probe_wait"],
        jobs=options["jobs"],
        **cli_conventions.lint_fields(conventions),
    )
    try:
        command_line_selection(lint_options, rules)
    except InputError as bad_option:
        raise click.BadParameter(bad_option.message, param_hint=f"'{bad_option.path}'") from None
    report = run(paths, lint_options, rules, stdin=sys.stdin.buffer)
    cli_conventions.relative_paths(report, conventions.get("base_path"))
    for problem in report.errors:
        _error_line(str(problem))
    for note in report.notes:
        _error_line(note)
    for line in cli_conventions.empty_folder_lines(report):
        _error_line(line)
    for line in cli_conventions.created_file_lines(report, lint_options.fix_mode == "fix"):
        _error_line(line)
    if lint_options.fix_mode == "diff":
        from initlint.report.diff import render_diffs

        diffs = render_diffs(report.fix_outcomes)
        _write(diffs, options["output"])
        return EXIT_ERROR if report.errors else EXIT_FINDINGS if diffs else EXIT_OK
    for outcome in report.fix_outcomes:
        for note in outcome.rolled_back:
            _error_line(f"{outcome.path}: fix rolled back (it did not remove its finding): {note}")
        for note in outcome.skipped:
            _error_line(f"{outcome.path}: not fixed: {note}")
    unstaged: list[str] | None = []
    if conventions.get("require_staged") and lint_options.fix_mode == "fix":
        unstaged = cli_conventions.unstaged_lines(report)
        if unstaged is None:
            _error_line("initlint: note: --require-staged: not in a git work tree, not checked")
        for line in unstaged or ():
            _error_line(line)
    unsafe = options["unsafe_fixes"]
    if conventions.get("statistics"):
        text = cli_conventions.statistics(report, options["output_format"], unsafe)
    else:
        text = render(report, options["output_format"], color=options["color"], unsafe_fixes=unsafe)
    if conventions.get("show_fixes") and lint_options.fix_mode == "fix":
        if options["output_format"] == "text" and not conventions.get("statistics"):
            text += cli_conventions.show_fixes(report)
        else:  # machine-readable output stays parseable
            sys.stderr.write(cli_conventions.show_fixes(report))
    _write(text, options["output"])
    if report.errors:
        return EXIT_ERROR
    if unstaged:
        return EXIT_FINDINGS
    return EXIT_OK if conventions.get("exit_zero") else report.exit_code


def _run_click(args: list[str]) -> int:
    """Run the command without click's standalone handling, which maps Ctrl-C to exit 1."""
    import click

    try:
        result = build_command().main(args, prog_name="initlint", standalone_mode=False)
    except click.exceptions.Abort:
        raise KeyboardInterrupt from None
    except click.ClickException as error:
        error.show()
        return error.exit_code
    return result if isinstance(result, int) else EXIT_OK


def main() -> None:
    """Console-script entry: click's parsing, and no traceback for anything unexpected."""
    if sys.argv[1:] == ["--version"]:
        # the one call scripts make to probe the tool: answer it before anything is imported
        sys.stdout.write(f"initlint {__version__}\n")
        sys.exit(EXIT_OK)
    try:
        sys.exit(_run_click(sys.argv[1:]))
    except KeyboardInterrupt:
        _error_line("initlint: interrupted")
        sys.exit(130)  # as a shell reports SIGINT, never mistaken for "findings" (1)
    except BrokenPipeError:
        # the reader went away (``initlint . | head``): not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_ERROR)
    except Exception as error:
        detail = _one_line(f"{type(error).__name__}: {error}")
        _error_line(f"initlint: error: internal error: {detail} (a bug; please report it)")
        sys.exit(EXIT_ERROR)

"""The ``initlint`` command: parse options, run the pipeline, print, exit 0 / 1 / 2.

Kept thin and cheap to import: argparse, the pipeline, loaders, rules and report formats are
imported inside the command, so ``initlint --version`` starts in a few dozen milliseconds.
"""

from __future__ import annotations

import functools
import gc
import os
import sys

from initlint import __version__
from initlint.report import FORMATS

# not ``from typing import TYPE_CHECKING``: importing typing costs ~2 ms of every start-up
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import Any, NoReturn

    from initlint.checks.base import Rule

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
THRESHOLDS = ("error", "warning", "info", "none")
INIT_STRATEGIES = ("auto", "python", "tini", "compose", "none")
USAGE = "initlint [OPTIONS] [PATHS ...]"
DESCRIPTION = """\
Find PID 1 problems in Dockerfiles, compose files and Kubernetes manifests.

PATHS are files, folders (searched for Dockerfile, Dockerfile.*, *.Dockerfile,
*.dockerfile, Containerfile, compose.yaml, docker-compose.yml, compose.*.yaml,
and *.yaml/*.yml Kubernetes manifests) or - for standard input (a Dockerfile,
or YAML such as `helm template . | initlint -`); default: the current folder.

Exit status: 0 no finding at or above the failure threshold, 1 findings,
2 usage or input error."""


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


def _choices(values: Sequence[str]) -> str:
    return "[" + "|".join(values) + "]"


def _existing_folder(value: str) -> str:
    """``--context``: a folder that exists."""
    import argparse

    if not os.path.exists(value):
        raise argparse.ArgumentTypeError(f"folder {value!r} does not exist")
    if not os.path.isdir(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a folder")
    return value


def _seconds(value: str) -> float:
    import argparse

    try:
        seconds = float(value)
    except ValueError:
        seconds = float("nan")
    if not 0 <= seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds >= 0")
    return seconds


def _count(value: str) -> int:
    import argparse

    try:
        count = int(value)
    except ValueError:
        count = -1
    if count < 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number >= 0")
    return count


def _terminal_columns() -> int:
    """shutil.get_terminal_size().columns without importing shutil (and bz2, lzma, ...): a
    formatter is made for every option added, not only when help is printed."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(1).columns or 80  # standard output's terminal
    except OSError:
        return 80


def _help_formatter() -> type[argparse.HelpFormatter]:
    import argparse

    class HelpFormatter(argparse.RawDescriptionHelpFormatter):
        """The description and epilog keep their line breaks; an option with a value reads
        ``-f, --format FORMAT`` (not the value twice), a pair ``--color / --no-color``; at
        most 100 columns."""

        def __init__(self, prog: str, **more: Any) -> None:  # more: what later Pythons pass
            width = min(_terminal_columns(), 100) - 2
            super().__init__(prog, max_help_position=34, width=width, **more)

        def _format_action_invocation(self, action: argparse.Action) -> str:
            if not action.option_strings:
                return super()._format_action_invocation(action)
            if action.nargs == 0:
                pair = isinstance(action, argparse.BooleanOptionalAction)
                return (" / " if pair else ", ").join(action.option_strings)
            value = self._format_args(action, self._get_default_metavar_for_optional(action))
            return f"{', '.join(action.option_strings)} {value}"

        def _split_lines(self, text: str, width: int) -> list[str]:
            import textwrap

            return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)

    return HelpFormatter


@functools.cache
def build_parser() -> argparse.ArgumentParser:
    """The command line (built on first use: argparse costs a few ms of cold start)."""
    import argparse

    from initlint import cli_conventions

    parser = argparse.ArgumentParser(
        prog="initlint",
        usage=USAGE,
        description=DESCRIPTION,
        epilog=cli_conventions.EPILOG,
        formatter_class=_help_formatter(),
        add_help=False,
        allow_abbrev=False,  # --fi is no --fix: a prefix never stands for an option
    )
    parser.add_argument("paths", nargs="*", metavar="PATHS", help=argparse.SUPPRESS)
    group = parser.add_argument_group("Options")
    add = group.add_argument
    flag = "store_true"
    pair = argparse.BooleanOptionalAction
    add(
        "-f",
        "--format",
        dest="output_format",
        choices=FORMATS,
        default="text",
        metavar=_choices(FORMATS),
        help="Output format. [default: text]",
    )
    add("-o", "--output", metavar="FILE", help="Write the report to FILE, not stdout.")
    add(
        "--select",
        action="append",
        metavar="IDS",
        help="Only these rules: ids or prefixes, comma-separated (IL101,IL2; ALL).",
    )
    add("--ignore", action="append", metavar="IDS", help="Skip these rules: ids or prefixes.")
    add(
        "--failure-threshold",
        choices=THRESHOLDS,
        metavar=_choices(THRESHOLDS),
        help="Exit 1 only for findings at or above this severity [default: info, or the config].",
    )
    add("--target", metavar="STAGE", help="Lint this build stage (default: the last).")
    add(
        "--context",
        type=_existing_folder,
        metavar="DIRECTORY",
        help="The build context the app is read from [default: the Dockerfile's folder].",
    )
    add(
        "--config",
        dest="config_path",
        metavar="FILE",
        help="Use this pyproject.toml / .initlint.toml instead of the nearest one.",
    )
    add(
        "--color",
        action=pair,
        default=None,
        help="Colour the text output [default: on a terminal, unless NO_COLOR is set].",
    )
    add("--list-rules", action=flag, help="List the rules and exit.")
    add("--explain", metavar="ID", help="Print a rule's documentation page and exit.")
    add("--fix", action=flag, help="Apply safe fixes to the files in place.")
    add("--diff", action=flag, help="Print what --fix would change as a diff; write nothing.")
    add("--unsafe-fixes", action=flag, help="With --fix/--diff: also apply unsafe fixes.")
    add(
        "--init-strategy",
        choices=INIT_STRATEGIES,
        metavar=_choices(INIT_STRATEGIES),
        help="How fixes put an init in front of PID 1 [default: auto, or the config].",
    )
    add(
        "--image",
        dest="images",
        action="append",
        metavar="REF",
        help="Lint a built image from the local engine (repeatable; - reads refs from stdin).",
    )
    add("--pull", action=flag, help="Pull --image references that are not local.")
    add(
        "--probe",
        dest="probes",
        action="append",
        metavar="REF",
        help="Run the image (no network), stop it and report what really happened.",
    )
    add(
        "--probe-wait",
        type=_seconds,
        default=3.0,
        metavar="SECONDS",
        help="Seconds to let a probed container settle before stopping it. [default: 3.0; >= 0]",
    )
    add(
        "--jobs",
        type=_count,
        default=0,
        metavar="N",
        help="Worker processes for many files, and probes run at once [default: one per "
        "core; probes at most 4; 1: lint in one process].",
    )
    add(
        "--print-init",
        action=flag,
        help="Print the standalone initlint-init file that fixes vendor, and exit.",
    )
    add(
        "--version",
        action="version",
        version=f"initlint {__version__}",
        help="Print the version and exit.",
    )
    cli_conventions.add_options(group)
    add("-h", "--help", action="help", help="Show this message and exit.")
    return parser


def _usage_error(option: str, message: str) -> NoReturn:
    """A bad option value found after parsing: reported as argparse reports its own."""
    build_parser().error(f"argument {option}: {message}")


def run_command(args: Sequence[str]) -> int:
    """The command on ``args``: the exit status. Usage errors and the exits of --help and
    --version raise SystemExit (argparse's way). What main() adds: the --version fast path,
    Ctrl-C, a closed pipe and the internal-error line."""
    options, rest = list(args), []
    if "--" in options:  # paths after it: parse_intermixed_args mishandles them before 3.12
        at = options.index("--")
        options, rest = options[:at], options[at + 1 :]
    parsed = build_parser().parse_intermixed_args(options)
    output: str | None = parsed.output
    if parsed.print_init:
        from initlint.fixes.vendoring import vendored_init

        _write(vendored_init(), output)
        return EXIT_OK
    if parsed.fix and parsed.diff:
        _fail("--fix and --diff exclude each other: --diff only shows what --fix would do")

    from initlint import cli_conventions
    from initlint.pipeline import default_rules

    rules = default_rules()
    if parsed.list_rules:
        _write(_list_rules(rules), output)
        return EXIT_OK
    if parsed.explain is not None:
        found = _find_rule(rules, parsed.explain)
        if found is None:
            _fail(f"unknown rule {parsed.explain!r} (see initlint --list-rules)")
        from initlint.report.rule_docs import explain as explain_rule

        _write(explain_rule(found), output)
        return EXIT_OK

    images: tuple[str, ...] = tuple(parsed.images or ())
    probes: tuple[str, ...] = tuple(parsed.probes or ())
    if "-" in images:
        from initlint.sources.image import read_refs

        images = tuple(ref for ref in images if ref != "-") + tuple(read_refs(sys.stdin))
    conventions = {name: getattr(parsed, name) for name in cli_conventions.NAMES}
    paths: tuple[str, ...] = (*parsed.paths, *rest)
    if not paths and conventions["stdin_filename"]:
        paths = ("-",)
    return _lint(
        paths or (() if images or probes else (".",)),
        rules,
        output_format=parsed.output_format,
        output=output,
        select=tuple(parsed.select or ()),
        ignore=tuple(parsed.ignore or ()),
        failure_threshold=parsed.failure_threshold,
        target=parsed.target,
        context=parsed.context,
        config_path=parsed.config_path,
        color=_use_color(parsed.color, output),
        fix_mode="fix" if parsed.fix else "diff" if parsed.diff else "off",
        unsafe_fixes=parsed.unsafe_fixes,
        init_strategy=parsed.init_strategy,
        images=images,
        pull=parsed.pull,
        probes=probes,
        probe_wait=parsed.probe_wait,
        jobs=parsed.jobs,
        conventions=conventions,
    )


def _lint(paths: Sequence[str], rules: Sequence[Rule], **options: Any) -> int:
    conventions: dict[str, Any] = options.pop("conventions", {})
    from initlint import cli_conventions
    from initlint.errors import InputError
    from initlint.pipeline import LintOptions, command_line_selection, run
    from initlint.report import render

    if options["select"] and not _split_selectors(options["select"]):
        _usage_error("--select", "needs at least one rule id or prefix (ALL selects every rule)")
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
        _usage_error(bad_option.path, bad_option.message)
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


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry (``argv`` defaults to the process's arguments): no traceback for
    anything unexpected. It ends the process."""
    # The cycle collector stays off in this one-shot process: start-up makes thousands of
    # objects that live as long as the process (modules, classes, tables), so collecting runs
    # during start-up and the interpreter's collection at exit, which frees what the OS takes
    # back anyway, are wasted (~13 ms of a one-file run). Linting leaves little cyclic garbage:
    # 2,904 Dockerfiles in one process peak at 41.7 MB instead of 41.4 MB.
    gc.disable()
    try:
        _main(argv)
    finally:
        gc.freeze()


def _main(argv: Sequence[str] | None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    if args == ["--version"]:
        # the one call scripts make to probe the tool: answer it before anything is imported
        sys.stdout.write(f"initlint {__version__}\n")
        sys.exit(EXIT_OK)
    try:
        sys.exit(run_command(args))
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

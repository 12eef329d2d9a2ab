"""The command-line conventions users know from ruff and hadolint, kept apart from cli.py.

Options: ``--exclude``/``--extend-exclude``/``--force-exclude``/``--[no-]respect-gitignore``,
``--exit-zero``, ``--statistics``, ``--show-fixes``, ``--stdin-filename``, ``--base-path``,
``--[no-]local-base-images`` and ``--require-staged`` (the ``initlint-fix`` pre-commit hook).
They reach the command as one ``conventions`` mapping: :func:`lint_fields` turns it into
LintOptions fields, :func:`finish` applies what happens after the run.
"""

from __future__ import annotations

import os

# not ``from typing import TYPE_CHECKING``: importing typing costs ~2 ms of every start-up
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Mapping, Sequence
    from typing import Any

    from initlint.model import Span
    from initlint.results import RunReport

NAMES = (
    "exclude",
    "extend_exclude",
    "force_exclude",
    "respect_gitignore",
    "exit_zero",
    "statistics",
    "show_fixes",
    "stdin_filename",
    "base_path",
    "local_base_images",
    "no_docker",
    "require_staged",
)


def folder_argument(value: str) -> str:
    """argparse ``type`` of --base-path: a folder, or a path that is nothing yet."""
    import argparse

    if os.path.exists(value) and not os.path.isdir(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a folder")
    return value


def add_options(group: argparse._ArgumentGroup) -> None:
    """Add the options to the command's option group (argparse is imported already)."""
    import argparse

    add = group.add_argument
    flag = "store_true"
    pair = argparse.BooleanOptionalAction
    add(
        "--exclude",
        action="append",
        metavar="GLOBS",
        help="Leave these out of folder walks, replacing the default list (.git, node_modules, "
        ".venv, ...): globs, comma-separated.",
    )
    add(
        "--extend-exclude",
        action="append",
        metavar="GLOBS",
        help="Leave these out of folder walks too (added to the configured ones).",
    )
    add(
        "--force-exclude",
        action=pair,
        default=None,
        help="Apply the excludes to paths named on the command line too (for pre-commit).",
    )
    add(
        "--respect-gitignore",
        action=pair,
        default=None,
        help="Leave out what .gitignore files ignore in folder walks [default: respect].",
    )
    add("--exit-zero", action=flag, help="Exit 0 even with findings (2 still on errors).")
    add("--statistics", action=flag, help="Print the count of findings per rule instead.")
    add("--show-fixes", action=flag, help="With --fix: list the fixes applied, per file.")
    add(
        "--stdin-filename",
        metavar="PATH",
        help="The name of what - reads: reports, configuration and build context use it.",
    )
    add(
        "--base-path",
        type=folder_argument,
        metavar="DIRECTORY",
        help="Report paths relative to this folder [default: the current folder].",
    )
    add(
        "--local-base-images",
        action=pair,
        default=None,
        help="Ask the local Docker engine about FROM images (their real /bin/sh, python3, "
        "ENTRYPOINT, CMD) instead of name-based knowledge. Off by default, so results do not "
        "depend on what a machine has pulled [config: local-base-images].",
    )
    add("--no-docker", action=flag, help=argparse.SUPPRESS)  # the old spelling of the default
    add(
        "--require-staged",
        action=flag,
        help="With --fix: exit 1 while a file a fix created (the vendored initlint-init) is "
        "not staged in git (the initlint-fix pre-commit hook uses it).",
    )


def _globs(values: Sequence[str] | None) -> list[str]:
    return [part.strip() for value in values or () for part in value.split(",") if part.strip()]


def lint_fields(conventions: Mapping[str, Any]) -> dict[str, Any]:
    """The LintOptions fields these options set."""
    from initlint.exclusion import CommandLineExclusion

    use_docker = conventions.get("local_base_images")
    if conventions.get("no_docker"):
        use_docker = False
    return {
        "exclusion": CommandLineExclusion(
            exclude=_globs(conventions["exclude"]) if conventions.get("exclude") else None,
            extend_exclude=tuple(_globs(conventions.get("extend_exclude"))),
            force_exclude=conventions.get("force_exclude"),
            respect_gitignore=conventions.get("respect_gitignore"),
        ),
        "stdin_filename": conventions.get("stdin_filename"),
        "use_docker": use_docker,
    }


# --- report paths ---------------------------------------------------------------------------


def display_path(path: str, base: str | None) -> str:
    """``path`` as reports show it: relative to ``base`` (--base-path) or, by default, to the
    current folder when it is inside it."""
    if path.startswith("<") or not path:
        return path
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, os.path.abspath(base or os.curdir))
    if base is None and (relative == os.pardir or relative.startswith(os.pardir + os.sep)):
        return path
    return relative


def relative_paths(report: RunReport, base: str | None) -> None:
    """Rewrite the report's paths for display (findings, edits, errors, files)."""
    from initlint.errors import InputError

    cache: dict[str, str] = {}

    def shown(path: str) -> str:
        if path not in cache:
            cache[path] = display_path(path, base)
        return cache[path]

    def span(value: Span) -> Span:
        return value._replace(path=shown(value.path))

    for file in report.files:
        file.path = shown(file.path)
        file.findings = [f._replace(span=span(f.span)) for f in file.findings]
        file.fix_edits = {
            index: tuple(edit._replace(span=span(edit.span)) for edit in edits)
            for index, edits in file.fix_edits.items()
        }
        if file.error is not None:
            file.error = InputError(shown(file.error.path), file.error.message, file.error.line)
    report.errors = [InputError(shown(e.path), e.message, e.line) for e in report.errors]


# --- after the run --------------------------------------------------------------------------


def created_file_lines(report: RunReport, applied: bool) -> list[str]:
    """One line per file a fix created (or, with --diff, would create): never a silent file."""
    lines: list[str] = []
    for outcome in report.fix_outcomes:
        for created in outcome.created:
            shown = display_path(created, None)
            source = display_path(outcome.path, None)
            if applied:
                lines.append(
                    f"{shown}: created by the fix of {source}, which COPYs it: add it to "
                    f"version control (git add {shown})"
                )
            else:
                lines.append(
                    f"{shown}: --fix would create it for {source}, which would COPY it: add it "
                    f"to version control after --fix"
                )
    return lines


def show_fixes(report: RunReport) -> str:
    """``--show-fixes``: the fixes applied, per file, as ruff lists them."""
    names = {rule.id: rule.name for rule in report.rules}
    blocks: list[str] = []
    total = 0
    for outcome in report.fix_outcomes:
        if not outcome.applied:
            continue
        counts: dict[str, int] = {}
        for applied in outcome.applied:
            rule_id = applied.split(" ", 1)[0]
            counts[rule_id] = counts.get(rule_id, 0) + 1
        total += len(outcome.applied)
        lines = [f"- {display_path(outcome.path, None)}:"]
        lines += [
            f"    {count} x {rule_id} ({names.get(rule_id, '?')})"
            for rule_id, count in sorted(counts.items())
        ]
        blocks.append("\n".join(lines))
    if not blocks:
        return "No fixes applied.\n"
    noun = "fix" if total == 1 else "fixes"
    return f"Applied {total} {noun}:\n" + "\n".join(blocks) + "\n"


def _tracked(paths: Sequence[str]) -> set[str] | None:
    """The paths (absolute) git has in its index; None when git cannot tell."""
    if not paths:
        return set()
    import subprocess

    try:
        result = subprocess.run(
            ["git", "ls-files", "-z", "--full-name", "--", *paths],
            capture_output=True,
            timeout=60,
            check=False,
        )
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], capture_output=True, timeout=60, check=False
        )
    except OSError:
        return None
    if result.returncode != 0 or top.returncode != 0:
        return None
    root = os.fsdecode(top.stdout).strip()
    return {
        os.path.realpath(os.path.join(root, os.fsdecode(name)))
        for name in result.stdout.split(b"\0")
        if name
    }


def unstaged_lines(report: RunReport) -> list[str] | None:
    """``--require-staged``: an error line per file a fix created, or a fixed Dockerfile
    COPYs from its folder as the vendored init, that is not in git's index. None: not a git
    work tree (nothing can be checked)."""
    from initlint.fixes.vendoring import VENDORED_NAME

    wanted: dict[str, str] = {}
    for outcome in report.fix_outcomes:
        for created in outcome.created:
            wanted[os.path.realpath(created)] = outcome.path
        vendored = os.path.join(os.path.dirname(outcome.path), VENDORED_NAME)
        if VENDORED_NAME in outcome.fixed and os.path.isfile(vendored):
            wanted.setdefault(os.path.realpath(vendored), outcome.path)
    if not wanted:
        return []
    tracked = _tracked(sorted(wanted))
    if tracked is None:
        return None
    return [
        f"{display_path(path, None)}: error: not staged: {display_path(source, None)} needs it; "
        f"run: git add {display_path(path, None)}"
        for path, source in wanted.items()
        if path not in tracked
    ]


def statistics(report: RunReport, output_format: str, unsafe_fixes: bool) -> str:
    """``--statistics``: findings counted per rule, most frequent first."""
    from initlint.report.text import fixable, fixable_line

    counts: dict[str, list[Any]] = {}
    for finding in report.findings:
        entry = counts.setdefault(finding.rule_id, [0, False])
        entry[0] += 1
        entry[1] = entry[1] or fixable(finding, unsafe_fixes)
    names = {rule.id: rule.name for rule in report.rules}
    ordered = sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))
    if output_format == "json":
        import json

        rows = [
            {"code": code, "name": names.get(code, ""), "count": count, "fixable": fix}
            for code, (count, fix) in ordered
        ]
        return json.dumps(rows, indent=2) + "\n"
    width = max((len(str(count)) for count, _ in counts.values()), default=1)
    lines = [
        f"{count:>{width}}\t{code}\t{'[*]' if fix else '[ ]'} {names.get(code, '')}"
        for code, (count, fix) in ordered
    ]
    closing = fixable_line(report.findings, unsafe_fixes)
    if closing:
        lines.append(closing)
    return "\n".join(lines) + "\n" if lines else ""


def empty_folder_lines(report: RunReport) -> list[str]:
    """Named folders with nothing to lint: one line in all (exit 0) when nothing was linted,
    else a note per folder."""
    if not report.empty_folders:
        return []
    if not report.files and not report.errors:
        folders = ", ".join(report.empty_folders)
        return [
            f"initlint: nothing to lint: no Dockerfile, compose file or Kubernetes manifest in "
            f"{folders} (excluded and .gitignore'd paths left out)"
        ]
    return [
        f"{folder}: note: no Dockerfile, compose file or Kubernetes manifest in this folder"
        for folder in report.empty_folders
    ]


# --- the --help epilog ----------------------------------------------------------------------

# printed as written (the help formatter keeps its line breaks)
EPILOG = """\
Configuration: [tool.initlint] in pyproject.toml, or .initlint.toml (the
nearest one up from each linted file; --config FILE instead). Keys:
  select, ignore       rule ids or prefixes: ["IL1", "IL202"], "ALL"
  per-file-ignores     {"legacy/**" = ["IL102"]}
  failure-threshold    error | warning | info | none
  init-strategy        auto | python | tini | compose | none
  exclude              globs left out of folder walks (replaces the defaults)
  extend-exclude       more globs left out of folder walks
  force-exclude        apply them to paths named on the command line too
  respect-gitignore    leave out what .gitignore ignores (default true)
  local-base-images    ask the local Docker engine about FROM images (false)

Example pyproject.toml:
  [tool.initlint]
  ignore = ["IL105"]
  extend-exclude = ["tests/fixtures"]
  failure-threshold = "warning"
  per-file-ignores = { "legacy/**" = ["IL102"] }

Inline ignores, on the comment lines right before an instruction (in YAML:
before a service or container, or at the end of its first line):
  # initlint: ignore=IL102,IL202 -- reason
  # initlint: global ignore=IL105          (the whole file)

CI and pre-commit:
  pre-commit      repo https://github.com/initlint/initlint, hooks initlint,
                  initlint-fix, initlint-compose-k8s
  GitHub Actions  uses: initlint/initlint@v0.1.0 with sarif: true (code
                  scanning), or initlint -f sarif -o initlint.sarif . and
                  github/codeql-action/upload-sarif
  GitLab CI       initlint -f gitlab -o gl-code-quality-report.json .
                  (artifacts: reports: codequality)
  plain step      pip install initlint && initlint .
                  (exit 1 on findings, 2 on errors)

See the README for the full recipes."""

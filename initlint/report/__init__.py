"""Output formats. Each module has ``render(report, ...) -> str``; imported only when used."""

from __future__ import annotations

TYPE_CHECKING = False  # not from typing: the CLI imports this module on every start-up
if TYPE_CHECKING:
    from initlint.results import RunReport

FORMATS = ("text", "json", "sarif", "github", "gitlab")


def render(
    report: RunReport, output_format: str, color: bool = False, unsafe_fixes: bool = False
) -> str:
    if output_format == "text":
        from initlint.report import text

        return text.render(report, color=color, unsafe_fixes=unsafe_fixes)
    if output_format == "json":
        from initlint.report import json_report

        return json_report.render(report)
    if output_format == "sarif":
        from initlint.report import sarif

        return sarif.render(report)
    if output_format == "github":
        from initlint.report import github

        return github.render(report)
    if output_format == "gitlab":
        from initlint.report import gitlab

        return gitlab.render(report)
    raise ValueError(f"unknown output format {output_format!r}")

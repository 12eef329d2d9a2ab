"""Every rule, in id order."""

from __future__ import annotations

from initlint.checks.base import Rule
from initlint.checks.il101_shell_form_entrypoint import shell_form_entrypoint
from initlint.checks.il102_shell_form_cmd import shell_form_cmd
from initlint.checks.il103_shell_wrapper_without_exec import shell_wrapper_without_exec
from initlint.checks.il104_package_manager_as_pid1 import package_manager_as_pid1
from initlint.checks.il105_process_supervisor_as_pid1 import process_supervisor_as_pid1
from initlint.checks.il106_cmd_ignored import cmd_ignored
from initlint.checks.il107_repeated_entrypoint_or_cmd import repeated_entrypoint_or_cmd
from initlint.checks.il108_stop_signal import stop_signal_check
from initlint.checks.il201_missing_init_for_spawning_app import missing_init_for_spawning_app
from initlint.checks.il202_pid1_ignores_sigterm import pid1_ignores_sigterm
from initlint.checks.il203_init_misconfigured import init_misconfigured
from initlint.checks.il301_entrypoint_script_without_exec import entrypoint_script_without_exec
from initlint.checks.il302_entrypoint_script_background_jobs import (
    entrypoint_script_background_jobs,
)

ALL_RULES: tuple[Rule, ...] = (
    shell_form_entrypoint,
    shell_form_cmd,
    shell_wrapper_without_exec,
    package_manager_as_pid1,
    process_supervisor_as_pid1,
    cmd_ignored,
    repeated_entrypoint_or_cmd,
    stop_signal_check,
    missing_init_for_spawning_app,
    pid1_ignores_sigterm,
    init_misconfigured,
    entrypoint_script_without_exec,
    entrypoint_script_background_jobs,
)

_BY_ID = {rule.id: rule for rule in ALL_RULES}


def rule_by_id(rule_id: str) -> Rule:
    """The rule with this id (case-insensitive); KeyError when there is none."""
    return _BY_ID[rule_id.upper()]

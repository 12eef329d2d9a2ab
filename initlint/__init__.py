"""initlint: find and fix PID 1 problems in containers."""

__version__ = "0.1.0"

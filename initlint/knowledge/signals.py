"""Signal names and numbers as Docker reads a stop signal on Linux.

Docker upper-cases the value, drops a leading ``SIG`` and looks the rest up in its Linux
signal map (the classic names plus ``RTMIN``, ``RTMIN+1`` … ``RTMAX``); a plain number is
taken as a signal number.
"""

from __future__ import annotations

import functools

# name → number on Linux x86-64/arm64
SIGNAL_NUMBERS: dict[str, int] = {
    "HUP": 1, "INT": 2, "QUIT": 3, "ILL": 4, "TRAP": 5, "ABRT": 6, "IOT": 6, "BUS": 7,
    "FPE": 8, "KILL": 9, "USR1": 10, "SEGV": 11, "USR2": 12, "PIPE": 13, "ALRM": 14,
    "TERM": 15, "STKFLT": 16, "CHLD": 17, "CLD": 17, "CONT": 18, "STOP": 19, "TSTP": 20,
    "TTIN": 21, "TTOU": 22, "URG": 23, "XCPU": 24, "XFSZ": 25, "VTALRM": 26, "PROF": 27,
    "WINCH": 28, "IO": 29, "POLL": 29, "PWR": 30, "SYS": 31, "UNUSED": 31,
    "RTMIN": 34, "RTMAX": 64,
}  # fmt: skip
for _offset in range(1, 16):
    SIGNAL_NUMBERS[f"RTMIN+{_offset}"] = 34 + _offset
    SIGNAL_NUMBERS[f"RTMAX-{_offset}"] = 64 - _offset
_MAX_SIGNAL = 64


def _ascii_number(text: str) -> bool:
    # Docker reads a number with Go's strconv.Atoi: ASCII digits only ("⁵".isdigit() is
    # true in Python and int() rejects it); ten digits or more overflow to an error anyway
    return text.isascii() and text.isdigit() and len(text) < 10


@functools.lru_cache(maxsize=1024)  # asked ~15 times per container
def signal_number(value: str) -> int | None:
    """The signal number Docker would use for ``value``, or None when Docker rejects it."""
    text = value.strip()
    if _ascii_number(text):
        number = int(text)
        return number if 1 <= number <= _MAX_SIGNAL else None
    name = text.upper()
    if name.startswith("SIG"):
        name = name[3:]
    return SIGNAL_NUMBERS.get(name)


def same_signal(a: str, b: str) -> bool:
    number = signal_number(a)
    return number is not None and number == signal_number(b)


def signal_display(value: str) -> str:
    """``quit`` → ``SIGQUIT``; numbers and unknown values as written."""
    text = value.strip()
    if _ascii_number(text) or signal_number(text) is None:
        return text
    name = text.upper()
    return name if name.startswith("SIG") else f"SIG{name}"

"""What every command needs to answer bad input in one line: ``error: <what is wrong and how
to fix it>`` on stderr and exit status 2, never argparse's usage block or a traceback.

``OneLineParser`` is an ``argparse.ArgumentParser`` whose errors are one line (with the usage
squeezed onto it); the ``type=`` helpers name the flag, the value and what is allowed; and
``folder_problem`` says, before minutes of work, whether an output folder can be made.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path


def fail(message: str, code: int = 2):
    """Print ``error: message`` on stderr and exit with ``code`` (2: a usage error)."""
    print(f"error: {message}", file=sys.stderr, flush=True)
    sys.exit(code)


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line: ``error: ... (usage: ...)``, exit 2.

    Abbreviated flags are refused (``--seed 3`` is not taken for ``--seeds 3``): a typo must
    be an error, not minutes of the wrong work."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str):  # noqa: D401 - argparse's hook
        usage = " ".join(self.format_usage().split())
        fail(f"{message} ({usage}; --help for more)")


def _number(kind, text: str, lo=None, hi=None, what: str = ""):
    try:
        value = kind(text)
    except (TypeError, ValueError):
        noun = "a whole number" if kind is int else "a number"
        raise argparse.ArgumentTypeError(f"{text!r} is not {noun}{what}") from None
    if value != value or (lo is not None and value < lo) or (hi is not None and value > hi):
        raise argparse.ArgumentTypeError(f"{text} is out of range{what}")
    return value


def int_in(lo: int | None = None, hi: int | None = None):
    """``type=`` for a whole number in [lo, hi]."""
    what = (f"; allowed {lo} to {hi}" if lo is not None and hi is not None else
            f"; allowed {lo} or more" if lo is not None else
            f"; allowed up to {hi}" if hi is not None else "")

    def parse(text: str) -> int:
        return _number(int, text, lo, hi, what)

    parse.__name__ = "whole number"
    return parse


def float_in(lo: float | None = None, hi: float | None = None, low_open: bool = False):
    """``type=`` for a number in [lo, hi] (or (lo, hi] with ``low_open``)."""
    if low_open:
        what = f"; allowed above {lo}" + (f" up to {hi}" if hi is not None else "")
    else:
        what = f"; allowed {lo}" + (f" to {hi}" if hi is not None else " or more")

    def parse(text: str) -> float:
        value = _number(float, text, lo, hi, what)
        if low_open and value == lo:
            raise argparse.ArgumentTypeError(f"{text} is out of range{what}")
        return value

    parse.__name__ = "number"
    return parse


def jobs(text: str) -> int:
    """``type=`` for joblib's n_jobs: -1 (every core), or 1 or more."""
    value = _number(int, text, what="; give -1 (every core) or 1 or more")
    if value == 0 or value < -1:
        raise argparse.ArgumentTypeError(f"{text} is not a number of processes; give -1 "
                                         f"(every core) or 1 or more")
    return value


def folder_problem(path: str | os.PathLike, name: str) -> str | None:
    """Why the folder ``path`` (given as ``name``, e.g. ``--out docs``) cannot be made or
    written, or None. Nothing is created: a probe folder is made and removed in the nearest
    folder that exists (so a read-only or pseudo filesystem fails here, even for root)."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        return f"{name}: {path} is a file, not a folder; give a folder"
    here = path.absolute()
    while not here.exists():
        if here.parent == here:
            break
        here = here.parent
    if not here.is_dir():
        return f"{name}: {here} is a file, not a folder; give a folder"
    try:
        probe = tempfile.mkdtemp(dir=here, prefix=".probe-")
        os.rmdir(probe)
    except OSError as exc:
        why = exc.strerror or str(exc)
        return f"{name}: cannot write in {here} ({why}); give a folder you can write"
    return None

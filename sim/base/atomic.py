"""The one atomic writer: a file appears whole under its name or not at all.

Written to a temporary name in the target's folder (``.NAME.<random>.tmp``), flushed to disk,
then renamed over the target: readers (a sweep's other workers, a re-run deciding whether a run
is finished) never see half a file, and a crash leaves at most a temporary file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomic(target: Path | str, write: Callable[[str], object], fsync: bool = True) -> Path:
    """Call ``write(tmp_path)`` to fill a temporary file, then rename it to ``target``.

    ``fsync`` forces the bytes to disk before the rename (a run's files: a power cut must not
    leave a finished-looking run with empty tables); caches may skip it."""
    target = Path(target)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        if fsync:
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target

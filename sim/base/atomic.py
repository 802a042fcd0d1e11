"""The one atomic writer: a file appears whole under its name or not at all.

Written to a temporary name in the target's folder, flushed to disk, then renamed over the
target: readers (a sweep's other workers, a re-run deciding whether a run is finished) never
see half a file, and a crash leaves at most a temporary file behind.

The temporary name says whose it is: ``.NAME.<host>~<pid namespace>~<pid>~<random>.tmp``.
A process removes its own temporary files (``write_atomic`` does, whatever happens) and never
another live process's: ``remove_stale_temporaries`` removes only those of a process that is
certainly gone (on this machine: its pid no longer exists, see ``sim.base.owner``; on another:
named in ``presumed_dead``, e.g. the owner of an expired claim) and those untouched for
``STALE_TMP_S`` (a write takes seconds, so such a file is abandoned whoever made it).
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from sim.base import owner

#: A temporary file not modified for this long is abandoned (a write takes seconds).
STALE_TMP_S = 3600.0

_TAG = re.compile(r"(?P<host>[A-Za-z0-9._-]+)~(?P<pidns>\d*)~(?P<pid>\d+)~[^~/]*\.tmp")


def temporary(target: Path | str) -> tuple[int, str]:
    """(fd, path) of a new temporary file beside ``target``, named after this process."""
    target = Path(target)
    return tempfile.mkstemp(dir=target.parent, suffix=".tmp",
                            prefix=f".{target.name}.{owner.hostname()}~"
                                   f"{owner.pid_namespace()}~{os.getpid()}~")


def write_atomic(target: Path | str, write: Callable[[str], object], fsync: bool = True) -> Path:
    """Call ``write(tmp_path)`` to fill a temporary file, then rename it to ``target``.

    ``fsync`` forces the bytes to disk before the rename (a run's files: a power cut must not
    leave a finished-looking run with empty tables); caches may skip it."""
    target = Path(target)
    fd, tmp = temporary(target)
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


def writer_of(tmp: Path | str, name: str) -> tuple[str, str, int] | None:
    """(host, pid namespace, pid) of the process that made temporary file ``tmp`` for the
    file ``name``; None if its name does not say (made by another program or version)."""
    base = Path(tmp).name
    prefix = f".{name}."
    if not base.startswith(prefix):
        return None
    m = _TAG.fullmatch(base[len(prefix):])
    return (m["host"], m["pidns"], int(m["pid"])) if m else None


def stale_temporaries(folder: Path | str, names: Iterable[str],
                      presumed_dead: Iterable[tuple[str, str, int]] = (),
                      now: float | None = None) -> list[Path]:
    """Temporary files in ``folder`` for the files ``names`` whose writer is gone (see the
    module docstring); never this process's own, nor a live process's on this machine."""
    folder = Path(folder)
    dead = {(str(h), str(ns), int(p)) for h, ns, p in presumed_dead}
    now = time.time() if now is None else now
    out = []
    for name in names:
        for tmp in sorted(folder.glob(f".{name}.*.tmp")):
            who = writer_of(tmp, name)
            if who is not None and owner.same_machine(who[0], who[1]) and \
                    who[2] == os.getpid():
                continue  # our own: write_atomic removes it
            if who is not None and (who in dead or owner.gone(*who)):
                out.append(tmp)
                continue
            try:
                if now - tmp.stat().st_mtime > STALE_TMP_S:
                    out.append(tmp)
            except FileNotFoundError:
                continue  # its writer renamed it just now
    return out


def remove_stale_temporaries(folder: Path | str, names: Iterable[str],
                             presumed_dead: Iterable[tuple[str, str, int]] = ()) -> int:
    """Remove ``stale_temporaries``; return how many were removed."""
    n = 0
    for tmp in stale_temporaries(folder, names, presumed_dead):
        try:
            tmp.unlink()
            n += 1
        except FileNotFoundError:
            pass
    return n

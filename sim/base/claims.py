"""Claims: which process is making the files of a folder (a run), so that two launchers
sharing a sweep folder never run one run twice nor write into each other's files.

A claim is the file ``FOLDER/.claim.json``::

    {"host": "node17", "pidns": "4026531836", "pid": 4242, "boot": "...", "proc_start": "...",
     "token": "9f...", "started": 1767225600.0, "heartbeat": 1767225630.0,
     "expires": 1767225930.0, "lease_s": 300.0}

Rules:

* **Acquire**: the claim is written whole to a temporary file, then hard-linked to
  ``.claim.json`` (``os.link`` fails if the name exists: one winner, and nobody ever reads a
  half-written claim); where hard links are not supported, ``O_CREAT | O_EXCL``.
* **Lease**: the owner rewrites its claim every ``REFRESH_S`` (30 s) from a background thread,
  setting ``heartbeat`` to now and ``expires`` to now + ``LEASE_S`` (300 s, ten missed
  heartbeats). Before each rewrite it checks the token is still its own; if not, the claim was
  taken over and the owner must not save (``Claim.check`` raises ``ClaimLost``).
* **Live or stale**: a claim made on this machine (same host name and pid namespace) is live
  while its process exists (pid, start time and boot id checked, see ``sim.base.owner``),
  whatever its lease says: a live local process is never robbed. A claim from another
  machine is live until ``expires`` (its clock: machines are assumed within a minute of each
  other), then stale. An unreadable claim file is live for ``LEASE_S`` after it was last
  modified, then stale.
* **Take-over** of a stale claim with token T: the taker creates ``.claim.json.T.takeover``
  exclusively (only one taker per stale claim gets it), reads the claim again, and only if it
  still holds T replaces it with its own (``os.replace``), then removes the marker. A second
  taker either fails to create the marker or finds another token: it sees the new owner's
  live claim. A marker older than ``MARKER_STALE_S`` (its taker died within those
  microseconds) is removed.
* **Release**: the owner removes ``.claim.json`` if it still holds its token; a killed owner
  leaves its claim behind, which is stale at once on this machine and after the lease
  elsewhere.
"""

from __future__ import annotations

import errno
import json
import os
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from sim.base import owner as who
from sim.base.atomic import remove_stale_temporaries, temporary

CLAIM = ".claim.json"
LEASE_S = 300.0
REFRESH_S = 30.0
MARKER_STALE_S = 60.0


@dataclass(frozen=True)
class Holder:
    """The process a claim names (as read from the claim file)."""

    host: str
    pidns: str
    pid: int
    token: str
    started: float = 0.0
    heartbeat: float = 0.0
    expires: float = 0.0
    boot: str = ""
    proc_start: str = ""
    unreadable_since: float | None = None  # the file's mtime if it could not be parsed

    @property
    def label(self) -> str:
        return f"{self.host}:{self.pid}" if self.unreadable_since is None else "unknown"

    @property
    def tag(self) -> tuple[str, str, int]:
        return (self.host, self.pidns, self.pid)

    def stale(self, now: float | None = None) -> str | None:
        """Why this claim is stale ("process gone", "lease expired ..."), or None if live."""
        now = time.time() if now is None else now
        if self.unreadable_since is not None:
            age = now - self.unreadable_since
            return f"unreadable for {age:.0f} s" if age > LEASE_S else None
        gone = who.gone(self.host, self.pidns, self.pid, self.boot, self.proc_start)
        if gone is True:
            return "process gone"
        if gone is False:
            return None
        if now > self.expires:
            return f"lease expired {now - self.expires:.0f} s ago"
        return None


class Claimed(Exception):
    """The folder is claimed by a live process: ``holder``."""

    def __init__(self, folder: Path, holder: Holder):
        super().__init__(f"{folder} is claimed by {holder.label}")
        self.folder, self.holder = folder, holder


class ClaimLost(Exception):
    """This process's claim was taken over (its lease ran out): it must not write."""


def read(folder: Path | str) -> Holder | None:
    """The holder named by ``FOLDER/.claim.json`` (live or stale), or None if unclaimed."""
    path = Path(folder) / CLAIM
    try:
        data = path.read_bytes()
        mtime = path.stat().st_mtime
    except (FileNotFoundError, NotADirectoryError):
        return None
    try:
        d = json.loads(data)
        return Holder(host=str(d["host"]), pidns=str(d.get("pidns", "")), pid=int(d["pid"]),
                      token=str(d["token"]), started=float(d.get("started", 0.0)),
                      heartbeat=float(d.get("heartbeat", 0.0)),
                      expires=float(d["expires"]), boot=str(d.get("boot", "")),
                      proc_start=str(d.get("proc_start", "")))
    except (ValueError, KeyError, TypeError):
        import hashlib

        return Holder(host="?", pidns="", pid=0, token="raw-" + hashlib.sha1(data).hexdigest()
                      [:16], unreadable_since=mtime)


def live_holder(folder: Path | str) -> Holder | None:
    """The live holder of the folder's claim, or None (unclaimed, or the claim is stale)."""
    h = read(folder)
    return h if h is not None and h.stale() is None else None


def _text(me: dict, token: str, started: float, lease_s: float) -> bytes:
    now = time.time()
    return (json.dumps({**me, "token": token, "started": started, "heartbeat": now,
                        "expires": now + lease_s, "lease_s": lease_s}, indent=1) + "\n"
            ).encode()


def _written(target: Path, text: bytes) -> str:
    fd, tmp = temporary(target)
    try:
        os.write(fd, text)
    finally:
        os.close(fd)
    return tmp


def _create(path: Path, text: bytes) -> bool:
    """Create ``path`` holding ``text`` if it does not exist; False if it does."""
    tmp = _written(path, text)
    try:
        os.link(tmp, path)
        return True
    except FileExistsError:
        return False
    except OSError as exc:  # no hard links here (some network or FUSE filesystems)
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV,
                             errno.EMLINK, errno.ENOSYS):
            raise
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        try:
            os.write(fd, text)
        finally:
            os.close(fd)
        return True
    finally:
        os.unlink(tmp)


def _marker(path: Path, token: str) -> Path:
    return path.with_name(f"{path.name}.{token}.takeover")


def _take_marker(marker: Path) -> bool:
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        return True
    except FileExistsError:
        try:
            if time.time() - marker.stat().st_mtime > MARKER_STALE_S:
                marker.unlink(missing_ok=True)  # its taker died inside the take-over
        except FileNotFoundError:
            pass
        return False


class Claim:
    """This process's claim on a folder; a context manager that releases it on exit."""

    def __init__(self, folder: Path, token: str, started: float, lease_s: float,
                 refresh_s: float, previous: Holder | None = None, why: str | None = None):
        self.folder, self.path = folder, folder / CLAIM
        self.token, self.started = token, started
        self.lease_s, self.refresh_s = lease_s, refresh_s
        self.previous, self.why = previous, why  # the stale claim taken over, and why stale
        self.lost_to: Holder | None = None
        self._me = who.me()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.released = False

    @property
    def label(self) -> str:
        return f"{self._me['host']}:{self._me['pid']}"

    def held(self) -> bool:
        """Whether the claim file still holds this claim's token."""
        h = read(self.folder)
        if h is None or h.token != self.token:
            self.lost_to = self.lost_to or h
            return False
        return True

    def refresh(self) -> bool:
        """Push the lease on (heartbeat now, expires now + lease); False if the claim is lost."""
        with self._lock:
            if self.released or not self.held():
                return False
            tmp = _written(self.path, _text(self._me, self.token, self.started, self.lease_s))
            try:
                os.replace(tmp, self.path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
            return True

    def check(self) -> None:
        """Raise ``ClaimLost`` unless this process still holds the claim."""
        if not self.held():
            lost = self.lost_to.label if self.lost_to else "nobody (removed)"
            raise ClaimLost(f"the claim on {self.folder} was taken over by {lost}")

    def start(self) -> "Claim":
        """Refresh the lease every ``refresh_s`` in a daemon thread until released."""
        if self._thread is None and self.refresh_s > 0:
            self._thread = threading.Thread(target=self._beat, name="claim-heartbeat",
                                            daemon=True)
            self._thread.start()
        return self

    def _beat(self) -> None:
        while not self._stop.wait(self.refresh_s):
            try:
                if not self.refresh():
                    return
            except OSError:  # a hiccup of the filesystem: try again at the next beat
                continue

    def release(self) -> None:
        """Remove the claim file if it still holds this claim; stop the heartbeat."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        with self._lock:
            if self.released:
                return
            self.released = True
            try:
                if self.held():
                    self.path.unlink(missing_ok=True)
            except OSError:
                pass

    def __enter__(self) -> "Claim":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.release()


def acquire(folder: Path | str, lease_s: float = LEASE_S, refresh_s: float = REFRESH_S,
            attempts: int = 20) -> Claim:
    """Claim ``folder`` for this process: a new claim, or a stale one taken over (then
    ``Claim.previous`` is the holder taken over and ``Claim.why`` why it was stale). Raise
    ``Claimed`` if a live process holds it. The heartbeat starts with ``with`` or
    ``start()``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CLAIM
    me = who.me()
    token, started = uuid.uuid4().hex, time.time()
    text = _text(me, token, started, lease_s)
    holder = None
    for attempt in range(attempts):
        if _create(path, text):
            remove_stale_temporaries(folder, [CLAIM])  # of claims that died being written
            return Claim(folder, token, started, lease_s, refresh_s)
        holder = read(folder)
        if holder is None:
            continue  # released just now: try again
        why = holder.stale()
        if why is None:
            raise Claimed(folder, holder)
        marker = _marker(path, holder.token)
        if not _take_marker(marker):
            time.sleep(0.01 * (attempt + 1))  # another taker is at it: look again
            continue
        try:
            now = read(folder)
            if now is None or now.token != holder.token:
                continue  # taken over or released meanwhile: look again
            tmp = _written(path, text)
            try:
                os.replace(tmp, path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
            return Claim(folder, token, started, lease_s, refresh_s, previous=holder, why=why)
        finally:
            marker.unlink(missing_ok=True)
    if holder is None:
        raise OSError(f"cannot claim {folder}: the claim file keeps changing")
    raise Claimed(folder, holder)


def holders_label(holders, shown: int) -> str:
    """The owners of some claims in one short phrase ("host:pid, host:pid and 3 more")."""
    labels = sorted({h.label for h in holders})
    return ", ".join(labels[:shown]) + (f" and {len(labels) - shown} more"
                                        if len(labels) > shown else "")

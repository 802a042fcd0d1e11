"""Who writes a file: this process as (host, pid namespace, pid), and whether a process so
named is still alive.

Only a process on this machine can be checked: same host name and same pid namespace (two
containers with one host name but their own pids are different machines here). On this
machine a process is gone if its pid no longer exists or is a zombie (killed, not yet reaped),
or exists with another start time (the pid was reused), or the machine was restarted since
(another boot id). For any other machine the answer is "cannot tell" (``None``): callers fall
back on a lease or on the file's age.
"""

from __future__ import annotations

import os
import re
import socket
from functools import lru_cache


@lru_cache(maxsize=1)
def hostname() -> str:
    """This machine's name, reduced to the characters a file name can safely hold."""
    return re.sub(r"[^A-Za-z0-9.-]", "_", socket.gethostname() or "localhost")[:64]


@lru_cache(maxsize=1)
def boot_id() -> str:
    """An id of this boot of the machine ('' where /proc does not say)."""
    try:
        with open("/proc/sys/kernel/random/boot_id") as fh:
            return fh.read().strip()
    except OSError:
        return ""


@lru_cache(maxsize=1)
def pid_namespace() -> str:
    """The pid namespace of this process, as digits ('' where /proc does not say)."""
    try:
        return "".join(ch for ch in os.readlink("/proc/self/ns/pid") if ch.isdigit())
    except OSError:
        return ""


def _stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name (state first), or []."""
    try:
        with open(f"/proc/{int(pid)}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError, ValueError):
        return []


def process_start(pid: int) -> str:
    """When process ``pid`` started (clock ticks since boot, from /proc), or ''."""
    fields = _stat(pid)
    return fields[19] if len(fields) > 19 else ""


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists on this machine (any user's)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, another user's
        return True
    except OSError:
        return True  # cannot tell: assume alive (never take a live process's files)
    return True


def me() -> dict:
    """This process: host, pid namespace, pid, boot id and start time."""
    pid = os.getpid()
    return {"host": hostname(), "pidns": pid_namespace(), "pid": pid, "boot": boot_id(),
            "proc_start": process_start(pid)}


def same_machine(host: str, pidns: str) -> bool:
    return host == hostname() and pidns == pid_namespace()


def gone(host: str, pidns: str, pid: int, boot: str = "", proc_start: str = "") -> bool | None:
    """True if that process is certainly gone, False if it is alive on this machine, None if
    it runs (or ran) on another machine and this one cannot tell."""
    if not same_machine(host, pidns):
        return None
    if boot and boot_id() and boot != boot_id():
        return True  # this machine restarted since: every process of then is gone
    if not pid_alive(int(pid)):
        return True
    fields = _stat(int(pid))
    if fields and fields[0] in ("Z", "X"):  # killed, not yet reaped by its parent
        return True
    if proc_start and process_start(int(pid)) not in ("", proc_start):
        return True  # the pid now belongs to another process
    return False

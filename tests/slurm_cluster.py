"""A private single-node SLURM cluster on 127.0.0.1 for the tests (tests/test_slurm.py).

Debian's ``slurm-wlm`` and ``munge`` (installed by ``make slurm``, which ``make test`` runs)
provide the daemons; nothing of the system's is configured or used. Everything lives in one
temporary folder: a MUNGE key and socket of its own, served by a munged started for the test
(so an existing ``/etc/munge/munge.key`` or a system munged is never touched), and a
``slurm.conf`` that every SLURM command finds through ``SLURM_CONF`` (the daemons get it with
``-f`` as well). submitit calls sbatch/squeue/sacct/scancel as subprocesses, which inherit
the environment, and sbatch exports it to the jobs, so ``srun`` inside a job finds the same
cluster. The ports are picked free at start, so two clusters (two worktrees' suites) can run
side by side.

Recipe (Debian bookworm, SLURM 22.05, run as root, no systemd, no cgroups): proctrack/linuxproc,
task/none, no job accounting, select/cons_tres, one node with the machine's cores and 4000 MB,
one default partition. slurmd's log shows mpi/pmix errors at start: harmless (MpiDefault=none).

Use::

    with SlurmCluster.start() as cluster:   # waits until sinfo shows the node idle
        subprocess.run(["sbatch", ...], env=cluster.env)
    # slurmctld, slurmd and munged stopped (by their pid files), the folder removed
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

#: The daemons live in /usr/sbin, which a non-root PATH may lack.
SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/bin"])
COMMANDS = ("munged", "munge", "slurmctld", "slurmd", "sbatch", "sinfo", "squeue", "scancel",
            "scontrol")
PARTITION = "greyzone"
#: Bounded waits (seconds). A daemon that is not up by then has failed; its log says why.
START_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0


class ClusterError(RuntimeError):
    """A daemon did not start (or a command failed); the message ends with its log's tail."""


def which(cmd: str) -> str | None:
    return shutil.which(cmd, path=SEARCH_PATH)


def unavailable() -> str | None:
    """Why a private cluster cannot be started here, or None if it can."""
    missing = [c for c in COMMANDS if which(c) is None]
    if missing:
        return (f"SLURM/MUNGE not installed ({', '.join(missing)} missing; `make slurm` "
                "installs Debian's slurm-wlm and munge)")
    if os.geteuid() != 0:
        return "starting slurmd and munged needs root (make test runs the suite as root in CI)"
    try:
        pwd.getpwnam("munge")
    except KeyError:
        return "no 'munge' user (Debian's munge package creates it)"
    return None


def _tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return f"({path.name}: no log written)"
    return f"last lines of {path}:\n" + "\n".join(text[-lines:])


def _free_port() -> int:
    """A TCP port free on 127.0.0.1 now (the kernel's choice; closed again at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie has exited; it only waits for its parent (these daemons' parent is init).
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1] != "Z"
    except OSError:
        return False


class SlurmCluster:
    """munged + slurmctld + slurmd in one temporary folder; see the module's docstring."""

    def __init__(self, root: Path):
        self.root = root
        self.host = socket.gethostname().split(".")[0]  # slurmd takes its node name from it
        self.cpus = os.cpu_count() or 1
        self.munge_dir = root / "munge"
        self.socket = self.munge_dir / "munge.socket"
        self.conf = root / "slurm.conf"
        self.partition = PARTITION
        # What each daemon writes: (pid file, log file, the name its /proc/PID/comm shows).
        self.daemons = {
            "slurmd": (root / "slurmd.pid", root / "slurmd.log", "slurmd"),
            "slurmctld": (root / "slurmctld.pid", root / "slurmctld.log", "slurmctld"),
            "munged": (self.munge_dir / "munged.pid", self.munge_dir / "munged.log", "munged"),
        }
        env = dict(os.environ)
        env["PATH"] = SEARCH_PATH
        env["SLURM_CONF"] = str(self.conf)
        # sbatch/srun/squeue settings from the caller's environment would change the jobs.
        for k in [k for k in env if k.startswith(("SBATCH_", "SLURM_", "SALLOC_", "SRUN_"))]:
            if k != "SLURM_CONF":
                del env[k]
        self.env = env

    # ------------------------------------------------------------------ start
    @classmethod
    def start(cls) -> "SlurmCluster":
        reason = unavailable()
        if reason:
            raise ClusterError(reason)
        # Not pytest's tmp_path: its parents are root-only (0700), and munged runs as 'munge'.
        root = Path(tempfile.mkdtemp(prefix="greyzone-slurm-", dir="/tmp"))
        root.chmod(0o755)
        cluster = cls(root)
        try:
            cluster._start_munged()
            cluster._write_conf()
            cluster._start("slurmctld")
            cluster._start("slurmd")
            cluster._wait_idle()
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def __enter__(self) -> "SlurmCluster":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _start_munged(self) -> None:
        munge = pwd.getpwnam("munge")
        # munged wants its socket's folder searchable by all (clients connect as any user)
        # and writable only by itself; the key file alone is owner-only.
        self.munge_dir.mkdir()
        self.munge_dir.chmod(0o755)
        os.chown(self.munge_dir, munge.pw_uid, munge.pw_gid)
        # A key of its own (1 KiB random; munged insists on owner-only permissions), so the
        # system's /etc/munge/munge.key is neither needed nor touched.
        key = self.munge_dir / "munge.key"
        fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o400)
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(1024))
        os.chown(key, munge.pw_uid, munge.pw_gid)
        pid, log, _ = self.daemons["munged"]
        cmd = ["runuser", "-u", "munge", "--", which("munged"), f"--socket={self.socket}",
               f"--key-file={key}", f"--pid-file={pid}", f"--log-file={log}",
               f"--seed-file={self.munge_dir / 'munged.seed'}"]
        self._run_daemon("munged", cmd)
        # Up when it answers: encode a credential through our socket (bounded retries).
        self._wait("munged", lambda: subprocess.run(
            [which("munge"), "-n", "-S", str(self.socket)], stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, timeout=10).returncode == 0)

    def _write_conf(self) -> None:
        r = self.root
        for d in ("state", "spool"):
            (r / d).mkdir()
        ctld_port, slurmd_port = _free_port(), _free_port()
        while slurmd_port == ctld_port:
            slurmd_port = _free_port()
        self.conf.write_text(f"""\
# Written by tests/slurm_cluster.py for one test session; removed afterwards.
ClusterName=greyzone-test
SlurmctldHost={self.host}(127.0.0.1)
SlurmctldPort={ctld_port}
SlurmdPort={slurmd_port}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
# Our own munged, not the system's socket.
AuthInfo=socket={self.socket}
MpiDefault=none
# No systemd and no cgroups here: track processes by parent id, no task binding.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
ReturnToService=2
# No mail program here (slurmctld would log an error for the default /bin/mail).
MailProg=/bin/true
# Keep finished jobs visible to scontrol for a while (there is no accounting database).
MinJobAge=600
StateSaveLocation={r / 'state'}
SlurmdSpoolDir={r / 'spool'}
SlurmctldPidFile={self.daemons['slurmctld'][0]}
SlurmdPidFile={self.daemons['slurmd'][0]}
SlurmctldLogFile={self.daemons['slurmctld'][1]}
SlurmdLogFile={self.daemons['slurmd'][1]}
SlurmctldDebug=info
SlurmdDebug=info
NodeName={self.host} NodeAddr=127.0.0.1 CPUs={self.cpus} RealMemory=4000 State=UNKNOWN
PartitionName={self.partition} Nodes=ALL Default=YES MaxTime=INFINITE State=UP
""")

    def _start(self, name: str) -> None:
        # Both daemonise (fork, write the pid file, parent exits 0) once they have read the
        # config; a bad config makes the parent exit non-zero, but some errors (a plugin that
        # will not load) come only after the fork: hence the checks below.
        self._run_daemon(name, [which(name), "-f", str(self.conf)])
        self._wait(name, lambda: self._pid(name) is not None)
        if name == "slurmctld":  # up when it answers (slurmd registers with it next)
            self._wait(name, lambda: self._check_alive(name) and "is UP" in self.run(
                "scontrol", "ping", check=False).stdout)

    def _check_alive(self, *names: str) -> bool:
        """True, or a ClusterError at once if a daemon has exited since it started."""
        for name in names:
            if self._pid(name) is None:
                raise ClusterError(f"{name} exited after starting; "
                                   f"{_tail(self.daemons[name][1])}")
        return True

    def _run_daemon(self, name: str, cmd: list[str]) -> None:
        try:
            r = subprocess.run(cmd, env=self.env, capture_output=True, text=True, timeout=30)
        except subprocess.TimeoutExpired:
            raise ClusterError(f"{name} did not daemonise within 30 s; "
                               f"{_tail(self.daemons[name][1])}") from None
        if r.returncode != 0:
            raise ClusterError(f"{name} failed to start (exit {r.returncode}): "
                               f"{(r.stderr or r.stdout).strip()[-500:]}; "
                               f"{_tail(self.daemons[name][1])}")

    def _wait(self, name: str, ready, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ready():
                return
            time.sleep(0.2)
        raise ClusterError(f"{name} not up after {timeout:.0f} s; {_tail(self.daemons[name][1])}")

    def _wait_idle(self) -> None:
        """Until sinfo shows the node idle (slurmd registered with slurmctld)."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            self._check_alive("slurmctld", "slurmd")  # died after daemonising: say so at once
            r = self.run("sinfo", "-h", "-N", "-o", "%T", check=False)
            if r.returncode == 0 and r.stdout.strip() == "idle":
                return
            time.sleep(0.2)
        raise ClusterError(f"node not idle after {START_TIMEOUT:.0f} s (sinfo: "
                           f"{(r.stdout or r.stderr).strip()!r}); {self.log_tails()}")

    # ------------------------------------------------------------------ use
    def run(self, *args: str, check: bool = True, timeout: float = 30):
        """A SLURM command against this cluster (SLURM_CONF set)."""
        r = subprocess.run([which(args[0]) or args[0], *args[1:]], env=self.env,
                           capture_output=True, text=True, timeout=timeout)
        if check and r.returncode != 0:
            raise ClusterError(f"{' '.join(args)} failed (exit {r.returncode}): "
                               f"{r.stderr.strip()[-500:]}")
        return r

    def log_tails(self) -> str:
        return "\n".join(_tail(log) for _, log, _ in self.daemons.values())

    # ------------------------------------------------------------------ stop
    def _pid(self, name: str) -> int | None:
        """The daemon's pid from its pid file, if that process is alive and is that daemon
        (a stale file's pid may belong to another process by now)."""
        pidfile, _, comm = self.daemons[name]
        try:
            pid = int(pidfile.read_text().split()[0])
            running = Path(f"/proc/{pid}/comm").read_text().strip()
        except (OSError, ValueError, IndexError):
            return None
        return pid if running == comm and _alive(pid) else None

    def stop(self) -> list[str]:
        """Cancel our jobs, stop slurmd, slurmctld and munged (each by its pid file: SIGTERM,
        then SIGKILL after STOP_TIMEOUT), remove the folder. Returns the daemons that needed
        SIGKILL. Safe to call twice, and after a failed start."""
        killed, stopped = [], []
        if self._pid("slurmctld") is not None:
            # Cancelled jobs' slurmstepd processes are ended by slurmd, so do it before that.
            self.run("scancel", f"--partition={self.partition}", check=False)
            deadline = time.monotonic() + STOP_TIMEOUT
            while time.monotonic() < deadline:
                q = self.run("squeue", "-h", "-o", "%i", check=False)
                if q.returncode != 0 or not q.stdout.strip():
                    break
                time.sleep(0.5)
        for name in self.daemons:  # slurmd, slurmctld, then munged (they need it to talk)
            pid = self._pid(name)
            if pid is None:
                continue
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + STOP_TIMEOUT
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
                killed.append(name)
            stopped.append(pid)
        # The daemons' parent is init, which reaps them in its own time (here up to ~2 s):
        # wait a little for that (cosmetic), so that `pgrep` right after lists no <defunct>.
        deadline = time.monotonic() + 5
        while any(Path(f"/proc/{p}").exists() for p in stopped) and time.monotonic() < deadline:
            time.sleep(0.05)
        shutil.rmtree(self.root, ignore_errors=True)
        return killed

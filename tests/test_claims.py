"""Two launchers on one sweep folder (docs/sweeps.md): claims, own temporary files only, and
sweeps that neither crash nor run a run twice nor lose one.

Unit tests of the claim (``sim.base.claims``): acquire is atomic and exclusive (racing
processes: one winner per folder), a live claim is refused, a stale one (dead process on this
machine, expired lease of another machine, pid reused, machine rebooted, unreadable and old)
is taken over by exactly one of several takers, the lease is refreshed, release removes only
one's own claim. Temporary files: a save removes only those of writers that are gone. The end
of a sweep (``sim.sweeps.claimed.settle``): waits for runs held elsewhere, runs here those
another launcher left. Then the real command line: two launchers at once; one killed with
SIGKILL and a second taking over; a launcher killed while the other waits for it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim import record
from sim.base import atomic, claims, owner
from sim.sweeps import claimed as settle_mod

from conftest import ROOT, run_cli

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                reason="needs /proc (Linux) to tell live processes")


# --------------------------------------------------------------------------- helpers
def dead_pid() -> int:
    """The pid of a process that has exited (and was reaped)."""
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def write_claim(folder: Path, **fields) -> dict:
    """A claim file as a process with these fields would have written it."""
    folder.mkdir(parents=True, exist_ok=True)
    now = time.time()
    data = {**owner.me(), "token": fields.pop("token", os.urandom(8).hex()), "started": now,
            "heartbeat": now, "expires": now + claims.LEASE_S, "lease_s": claims.LEASE_S}
    data.update(fields)
    (folder / claims.CLAIM).write_text(json.dumps(data))
    return data


@pytest.fixture
def sleeper():
    """A live process on this machine that is not this one."""
    p = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    yield p
    p.kill()
    p.wait()


# --------------------------------------------------------------------------- the claim
def test_acquire_writes_a_whole_claim_and_a_live_one_is_refused(tmp_path):
    with claims.acquire(tmp_path) as c:
        data = json.loads((tmp_path / claims.CLAIM).read_text())
        assert data["host"] == owner.hostname() and data["pid"] == os.getpid()
        assert data["token"] == c.token and data["expires"] > time.time() + 60
        assert data["heartbeat"] >= data["started"] > 0
        with pytest.raises(claims.Claimed) as err:
            claims.acquire(tmp_path)
        assert err.value.holder.label == f"{owner.hostname()}:{os.getpid()}"
        assert claims.live_holder(tmp_path).token == c.token
    assert not (tmp_path / claims.CLAIM).exists()  # released
    assert os.listdir(tmp_path) == []  # no temporary files, no markers
    claims.acquire(tmp_path).release()  # free again


def test_a_claim_is_released_when_the_run_fails(tmp_path):
    with pytest.raises(RuntimeError):
        with claims.acquire(tmp_path):
            assert (tmp_path / claims.CLAIM).exists()
            raise RuntimeError("the run failed")
    assert claims.read(tmp_path) is None


def test_a_live_local_claim_is_never_taken_even_with_an_expired_lease(tmp_path, sleeper):
    write_claim(tmp_path, pid=sleeper.pid, proc_start=owner.process_start(sleeper.pid),
                expires=time.time() - 3600)
    with pytest.raises(claims.Claimed) as err:
        claims.acquire(tmp_path)
    assert err.value.holder.pid == sleeper.pid


@pytest.mark.parametrize("case", ["dead_pid", "pid_reused", "rebooted", "zombie"])
def test_a_stale_local_claim_is_taken_over(tmp_path, case, sleeper):
    if case == "dead_pid":
        old = write_claim(tmp_path, pid=dead_pid())
    elif case == "pid_reused":  # that pid runs another process now (another start time)
        old = write_claim(tmp_path, pid=sleeper.pid, proc_start="1")
    elif case == "rebooted":
        old = write_claim(tmp_path, pid=sleeper.pid, boot="another-boot")
    else:  # killed, its parent has not reaped it yet
        z = subprocess.Popen([sys.executable, "-c", "pass"])
        deadline = time.time() + 30
        while time.time() < deadline and open(f"/proc/{z.pid}/stat").read().rsplit(
                ")", 1)[1].split()[0] != "Z":
            time.sleep(0.02)
        old = write_claim(tmp_path, pid=z.pid)
    c = claims.acquire(tmp_path)
    try:
        assert c.previous is not None and c.previous.token == old["token"]
        assert c.why == "process gone"
        assert json.loads((tmp_path / claims.CLAIM).read_text())["token"] == c.token
    finally:
        c.release()
        if case == "zombie":
            z.wait()


def test_another_machines_claim_is_live_until_its_lease_expires(tmp_path):
    write_claim(tmp_path, host="node-elsewhere", pid=4242, expires=time.time() + 100)
    with pytest.raises(claims.Claimed) as err:
        claims.acquire(tmp_path)
    assert err.value.holder.label == "node-elsewhere:4242"
    write_claim(tmp_path, host="node-elsewhere", pid=4242, expires=time.time() - 5)
    c = claims.acquire(tmp_path)
    assert c.previous.label == "node-elsewhere:4242" and c.why.startswith("lease expired")
    c.release()
    # same host name in another pid namespace (a container): judged by its lease too
    write_claim(tmp_path, pidns="1", pid=os.getpid(), expires=time.time() + 100)
    assert claims.read(tmp_path).stale() is None
    write_claim(tmp_path, pidns="1", pid=dead_pid(), expires=time.time() + 100)
    assert claims.read(tmp_path).stale() is None  # its pid means nothing here


def test_an_unreadable_claim_is_live_for_a_lease_then_taken_over(tmp_path):
    (tmp_path / claims.CLAIM).write_text('{"host": "half a cl')
    with pytest.raises(claims.Claimed) as err:
        claims.acquire(tmp_path)
    assert err.value.holder.label == "unknown"
    old = time.time() - claims.LEASE_S - 10
    os.utime(tmp_path / claims.CLAIM, (old, old))
    c = claims.acquire(tmp_path)
    assert c.previous.unreadable_since is not None and "unreadable" in c.why
    c.release()


def test_release_and_refresh_leave_a_claim_taken_over_by_another_alone(tmp_path):
    c = claims.acquire(tmp_path, refresh_s=0)
    c.check()
    theirs = write_claim(tmp_path, host="node-elsewhere", pid=7)  # taken over meanwhile
    assert not c.held() and not c.refresh()
    with pytest.raises(claims.ClaimLost, match="node-elsewhere:7"):
        c.check()
    c.release()
    assert json.loads((tmp_path / claims.CLAIM).read_text())["token"] == theirs["token"]


def test_the_heartbeat_pushes_the_lease_on(tmp_path):
    c = claims.acquire(tmp_path, lease_s=5, refresh_s=0.05)
    first = claims.read(tmp_path)
    with c:
        time.sleep(0.4)
        later = claims.read(tmp_path)
        assert later.token == first.token
        assert later.heartbeat > first.heartbeat and later.expires > first.expires
        assert later.expires == pytest.approx(later.heartbeat + 5)
    assert not c._thread.is_alive() and claims.read(tmp_path) is None


def test_a_fresh_takeover_marker_blocks_other_takers_an_old_one_is_cleared(tmp_path):
    old = write_claim(tmp_path, pid=dead_pid())
    marker = tmp_path / f"{claims.CLAIM}.{old['token']}.takeover"
    marker.touch()  # another taker is in the middle of taking it over
    with pytest.raises(claims.Claimed):
        claims.acquire(tmp_path, attempts=3)
    assert json.loads((tmp_path / claims.CLAIM).read_text())["token"] == old["token"]
    t = time.time() - claims.MARKER_STALE_S - 5  # that taker died inside the take-over
    os.utime(marker, (t, t))
    c = claims.acquire(tmp_path)
    assert c.previous.token == old["token"] and not marker.exists()
    c.release()


def test_a_slow_taker_does_not_replace_the_claim_a_faster_one_made(tmp_path, monkeypatch):
    """A taker that read the stale claim before another took it over (and removed the
    marker) must look again once it holds the marker, and find the new owner."""
    stale = claims.Holder(host=owner.hostname(), pidns=owner.pid_namespace(), pid=dead_pid(),
                          token="stale-token", expires=0.0)
    winner = claims.acquire(tmp_path, refresh_s=0)  # the faster taker, now the owner
    real, calls = claims.read, []

    def read_late(folder):  # the slow taker's first look: the claim as it was
        calls.append(folder)
        return stale if len(calls) == 1 else real(folder)

    monkeypatch.setattr(claims, "read", read_late)
    with pytest.raises(claims.Claimed) as err:
        claims.acquire(tmp_path)
    assert err.value.holder.token == winner.token
    monkeypatch.undo()
    assert claims.read(tmp_path).token == winner.token and winner.held()
    winner.release()


#: Each racer claims every folder in turn, as fast as it can, and holds what it wins.
_RACER = """
import json, os, sys, time
from pathlib import Path
from sim.base import claims
root, go, n = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
(root / f"ready.{os.getpid()}").touch()
while not go.exists():
    time.sleep(0.0005)
# A second barrier: every racer is running before any claims (a racer scheduled late on a
# busy 2-core machine would otherwise find every folder taken, and no race would happen).
(root / f"started.{os.getpid()}").touch()
deadline = time.time() + 60
while len(list(root.glob("started.*"))) < int(sys.argv[4]) and time.time() < deadline:
    time.sleep(0.0005)
won, took = [], []
held = []
import random
order = list(range(n))
random.Random(os.getpid()).shuffle(order)  # (in one order for all, the first racer would stay
for i in order:                            # ahead and win every folder: no race)
    try:
        c = claims.acquire(root / f"f{i}", refresh_s=0)
    except claims.Claimed:
        continue
    finally:
        time.sleep(0.002)  # (give the other racers the cores: on 2 cores one could otherwise
        # take all folders before the rest are scheduled, and no race would happen)
    held.append(c)
    won.append(i)
    if c.previous is not None:
        took.append([i, c.previous.token])
print(json.dumps({"won": won, "took": took}), flush=True)
sys.stdin.read()  # hold the claims until the test is done counting
"""


def _race(root: Path, racers: int, folders: int) -> list[dict]:
    go = root / "go"
    procs = [subprocess.Popen([sys.executable, "-c", _RACER, str(root), str(go), str(folders),
                               str(racers)],
                              cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True) for _ in range(racers)]
    try:
        deadline = time.time() + 120
        while len(list(root.glob("ready.*"))) < racers:
            assert time.time() < deadline, "racers did not start"
            time.sleep(0.01)
        go.touch()
        return [json.loads(p.stdout.readline()) for p in procs]
    finally:
        for p in procs:
            p.stdin.close()
            p.wait(timeout=60)


RACERS, FOLDERS = 6, 40


def test_concurrent_acquirers_only_one_wins(tmp_path):
    results = _race(tmp_path, RACERS, FOLDERS)
    winners = [i for r in results for i in r["won"]]
    assert sorted(winners) == list(range(FOLDERS)), "a folder with two owners or none"
    assert sum(len(r["won"]) > 0 for r in results) >= 2, "no race happened"


def test_concurrent_takers_of_stale_claims_only_one_wins(tmp_path):
    stale = {}
    gone = dead_pid()
    for i in range(FOLDERS):
        stale[i] = write_claim(tmp_path / f"f{i}", pid=gone)["token"]
    results = _race(tmp_path, RACERS, FOLDERS)
    winners = [i for r in results for i in r["won"]]
    assert sorted(winners) == list(range(FOLDERS)), "a stale claim taken over twice or never"
    took = {i: t for r in results for i, t in r["took"]}
    assert took == stale  # every win was a take-over of that folder's dead claim
    leftovers = [p.name for p in tmp_path.rglob("*") if p.name.endswith((".tmp", ".takeover"))]
    assert leftovers == []


# --------------------------------------------------------------------------- temporary files
def _tmp(folder: Path, name: str, host: str, pidns: str, pid: int, age_s: float = 0) -> Path:
    p = folder / f".{name}.{host}~{pidns}~{pid}~abc123.tmp"
    p.write_bytes(b"PAR1 half")
    if age_s:
        t = time.time() - age_s
        os.utime(p, (t, t))
    return p


def test_only_temporaries_of_gone_writers_are_stale(tmp_path, sleeper):
    host, ns = owner.hostname(), owner.pid_namespace()
    name = "daily.parquet"
    keep = [_tmp(tmp_path, name, host, ns, os.getpid()),  # this process's own
            _tmp(tmp_path, name, host, ns, sleeper.pid),  # a live process on this machine
            _tmp(tmp_path, name, "node-elsewhere", ns, 12),  # another machine: cannot tell
            _tmp(tmp_path, name, host, "1", dead_pid())]  # another pid namespace
    legacy = tmp_path / f".{name}.q1w2e3.tmp"  # no writer in its name
    legacy.write_bytes(b"x")
    keep.append(legacy)
    gone = [_tmp(tmp_path, name, host, ns, dead_pid()),
            _tmp(tmp_path, "summary.json", "node-elsewhere", ns, 99, age_s=2 * 3600),  # old
            _tmp(tmp_path, name, "node-expired", ns, 5)]  # presumed dead (expired claim)
    assert atomic.writer_of(gone[0], name) == (host, ns, int(gone[0].name.split("~")[2]))
    found = atomic.stale_temporaries(tmp_path, record.FILES,
                                     presumed_dead=[("node-expired", ns, 5)])
    assert sorted(found) == sorted(gone)
    assert atomic.remove_stale_temporaries(tmp_path, record.FILES,
                                           presumed_dead=[("node-expired", ns, 5)]) == 3
    assert all(p.exists() for p in keep) and not any(p.exists() for p in gone)


@pytest.fixture(scope="module")
def toy_result():
    return sim.run(sim.compose(["sea=toy", "run.days=5", "run.progress=off", "seed=3"]))


#: Another process writing daily.parquet slowly into FOLDER (the write between "writing"
#: and its rename takes 2 s), as a second launcher's worker would.
_SLOW_WRITER = """
import sys, time
from pathlib import Path
from sim.base.atomic import write_atomic
folder = Path(sys.argv[1])
def write(tmp):
    Path(tmp).write_bytes(b"PAR1 slowly")
    print("writing", flush=True)
    time.sleep(2)
write_atomic(folder / "daily.parquet", write)
print("renamed", flush=True)
"""


def test_a_save_leaves_another_process_writing_in_the_folder_alone(tmp_path, toy_result):
    """The bug of issue 16: Run.save deleted every .NAME.*.tmp, another process's too, and
    that process died with FileNotFoundError at its rename."""
    p = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, str(tmp_path)], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "writing"
    theirs = list(tmp_path.glob(".daily.parquet.*.tmp"))
    assert len(theirs) == 1
    toy_result.save(tmp_path)  # while the other one writes
    assert theirs[0].exists()
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0 and "renamed" in out, err[-2000:]
    assert "FileNotFoundError" not in err


# --------------------------------------------------------------------------- end of a sweep
def test_settle_waits_for_runs_held_elsewhere(tmp_path, toy_result, capsys):
    d = tmp_path / "seed=1"
    got = threading.Event()

    def other_launcher():  # claims the run, finishes it a second later, releases
        with claims.acquire(d, refresh_s=0):
            got.set()
            time.sleep(1.0)
            toy_result.save(d)

    t = threading.Thread(target=other_launcher)
    t.start()
    got.wait(10)
    relaunched = []
    t0 = time.monotonic()
    left = settle_mod.settle([(["seed=1"], d)], relaunched.append, sweep_dir=tmp_path,
                             poll_s=0.05)
    t.join()
    assert left == [] and relaunched == [] and time.monotonic() - t0 >= 0.5
    assert record.is_finished(d)
    err = capsys.readouterr().err
    assert "waiting for 1 run(s) claimed by other launchers" in err
    assert f"{owner.hostname()}:{os.getpid()}" in err


def test_settle_runs_here_what_a_dead_launcher_left(tmp_path, toy_result, capsys):
    dead = tmp_path / "seed=2"
    write_claim(dead, pid=dead_pid())  # its launcher was killed mid-run
    failed = tmp_path / "seed=3"
    failed.mkdir()  # its launcher failed (released, nothing saved)
    done = tmp_path / "seed=4"
    toy_result.save(done)
    batches = []

    def relaunch(batch):
        batches.append(batch)
        for ov in batch:
            toy_result.save(tmp_path / ov[0])

    left = settle_mod.settle([(["seed=2"], dead), (["seed=3"], failed), (["seed=4"], done)],
                             relaunch, poll_s=0.01)
    assert left == [] and batches == [[["seed=2"], ["seed=3"]]]
    assert "2 run(s) left unfinished by another launcher" in capsys.readouterr().err
    # a run that never finishes is relaunched MAX_RELAUNCH times, then left to the user
    never = tmp_path / "seed=5"
    never.mkdir()
    calls = []
    left = settle_mod.settle([(["seed=5"], never)], calls.append, poll_s=0.01)
    assert left == [never] and len(calls) == settle_mod.MAX_RELAUNCH


def test_gather_names_the_runs_still_running(tmp_path, toy_result, sleeper):
    import yaml

    from sim.sweeps.gather import gather

    for seed in (0, 1, 2):
        d = tmp_path / f"seed={seed}"
        toy_result.save(d)
        (d / ".hydra").mkdir()
        (d / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump([f"seed={seed}"]))
    (tmp_path / "seed=1" / "summary.json").unlink()  # running elsewhere
    write_claim(tmp_path / "seed=1", pid=sleeper.pid,
                proc_start=owner.process_start(sleeper.pid))
    (tmp_path / "seed=2" / "summary.json").unlink()  # abandoned
    warnings = []
    res = gather(tmp_path, warn=warnings.append)
    assert res.runs == 1 and res.running == ["seed=1"]
    assert len(warnings) == 1
    assert f"1 run(s) in {tmp_path} are still running (claimed by " \
           f"{owner.hostname()}:{sleeper.pid}): seed=1" in warnings[0]
    assert "skipped 1 unfinished or corrupt run folder(s)" in warnings[0]
    assert "seed=2; re-run the sweep" in warnings[0]


# --------------------------------------------------------------------------- real launchers
def test_a_single_run_into_a_folder_another_process_holds_is_refused(tmp_path, sleeper):
    d = tmp_path / "run"
    write_claim(d, pid=sleeper.pid, proc_start=owner.process_start(sleeper.pid))
    r = run_cli("sea=toy", "run.days=2", "run.progress=off", f"hydra.run.dir={d}")
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert r.returncode == 1 and len(lines) == 1, r.stderr[-2000:]
    assert lines[0].startswith("error: ") and f"{owner.hostname()}:{sleeper.pid}" in lines[0]
    assert "hydra.run.dir" in lines[0] and not (d / "summary.json").exists()
    assert claims.read(d).pid == sleeper.pid  # its claim untouched


def sweep_cmd(d: Path, days: int, seeds: int, jobs: int) -> list[str]:
    return [sys.executable, "-m", "sim", "-m", "sea=toy", f"run.days={days}", "run.progress=off",
            f"seed=range(0,{seeds})", f"hydra.launcher.n_jobs={jobs}", f"hydra.sweep.dir={d}"]


def launch(cmd: list[str], log: Path) -> subprocess.Popen:
    fh = open(log, "w")
    p = subprocess.Popen(cmd, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT,
                         start_new_session=True)
    p.log = fh  # type: ignore[attr-defined]
    return p


def finish(p: subprocess.Popen, timeout: float = 600) -> int:
    try:
        return p.wait(timeout=timeout)
    finally:
        p.log.close()


def kill_group(p: subprocess.Popen) -> None:
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    finish(p, 60)


def simulated(log: str) -> list[str]:
    """The run folders a launcher started simulating (one "run:" or "redo (...)" line each)."""
    out = []
    for line in log.splitlines():
        if line.startswith("run: "):
            out.append(Path(line[5:].strip()).name)
        elif line.startswith("redo ("):
            out.append(Path(line.split("): ", 1)[1].strip()).name)
    return out


def runs(d: Path) -> list[Path]:
    return sorted(p for p in d.iterdir() if p.is_dir()) if d.is_dir() else []


def finished(d: Path) -> set[str]:
    return {p.name for p in runs(d) if record.is_finished(p)}


def check_sweep(d: Path, seeds: int, days: int) -> pd.DataFrame:
    """Every run folder complete and alone (no claim, no temporary file); one row per run."""
    assert len(runs(d)) == seeds
    for p in runs(d):
        assert record.is_finished(p), p
        assert not (p / claims.CLAIM).exists(), f"claim left in {p}"
        assert not [f for f in p.iterdir() if f.name.endswith((".tmp", ".takeover"))], p
    df = pd.read_parquet(d / "results.parquet")
    assert sorted(df["seed"]) == list(range(seeds)) and df["run_dir"].is_unique
    assert (df["run.days"] == days).all()
    return df


def same_as_a_fresh_run(d: Path, df: pd.DataFrame, days: int, seeds=(0, 1)) -> None:
    """Reproducible: a run made by either launcher equals the same run made alone."""
    for seed in seeds:
        fresh = sim.run(sim.compose(["sea=toy", f"run.days={days}", "run.progress=off",
                                     f"seed={seed}"]))
        alone = fresh.save(d.parent / f"alone-seed{seed}")  # through parquet, as the runs
        run_dir = df.loc[df["seed"] == seed, "run_dir"].item()
        for name in record.TABLES:
            pd.testing.assert_frame_equal(pd.read_parquet(d / run_dir / f"{name}.parquet"),
                                          pd.read_parquet(alone / f"{name}.parquet"))
        assert record.load_summary(d / run_dir)["incidents"] == fresh.summary["incidents"]


@pytest.mark.slow
def test_two_launchers_on_one_folder_run_each_run_once(tmp_path):
    d, days, seeds = tmp_path / "sweep", 120, 8
    cmd = sweep_cmd(d, days, seeds, jobs=1)
    procs = [launch(cmd, tmp_path / f"{k}.log") for k in "ab"]
    codes = [finish(p) for p in procs]
    logs = {k: (tmp_path / f"{k}.log").read_text() for k in "ab"}
    assert codes == [0, 0], {k: v[-3000:] for k, v in logs.items()}
    for log in logs.values():
        assert "Traceback" not in log and "Error" not in log, log[-3000:]
        assert f"results: {d / 'results.parquet'} ({seeds} finished runs)" in log
    ran = {k: simulated(v) for k, v in logs.items()}
    every = ran["a"] + ran["b"]
    assert sorted(every) == [p.name for p in runs(d)], ran
    assert len(every) == len(set(every)) == seeds, "a run simulated twice"
    assert ran["a"] and ran["b"], f"no overlap, the test proves nothing: {ran}"
    assert sum(v.count("skip (claimed by ") for v in logs.values()) >= 1
    df = check_sweep(d, seeds, days)
    same_as_a_fresh_run(d, df, days)
    print({k: len(v) for k, v in ran.items()}, "runs per launcher")


@pytest.mark.slow
def test_a_killed_launchers_claims_are_taken_over_by_the_next(tmp_path):
    d, days, seeds = tmp_path / "sweep", 365, 6
    cmd = sweep_cmd(d, days, seeds, jobs=2)
    a = launch(cmd, tmp_path / "a.log")
    deadline = time.monotonic() + 300

    def held() -> list[Path]:
        return [p for p in runs(d) if claims.live_holder(p) is not None]

    while not finished(d) or len(held()) < 2:
        assert a.poll() is None, "the sweep ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    kill_group(a)
    done_at_kill = finished(d)
    stale = {p.name: claims.read(p) for p in runs(d)
             if claims.read(p) is not None and p.name not in done_at_kill}
    assert len(stale) >= 2
    until = time.monotonic() + 30  # the workers die a moment after the launcher
    while not all(h.stale() == "process gone" for h in stale.values()):
        assert time.monotonic() < until, {n: h.stale() for n, h in stale.items()}
        time.sleep(0.05)
    stamps = {n: (d / n / "summary.json").stat().st_mtime_ns for n in done_at_kill}
    b = launch(cmd, tmp_path / "b.log")
    assert finish(b) == 0, (tmp_path / "b.log").read_text()[-3000:]
    log = (tmp_path / "b.log").read_text()
    assert "Traceback" not in log
    for name, h in stale.items():
        assert f"take over (stale claim of {h.label}: process gone): {d / name}" in log
    assert log.count("skip (finished)") == len(done_at_kill)
    again = simulated(log)
    assert sorted(again) == sorted({p.name for p in runs(d)} - done_at_kill), \
        "a run lost or done twice"
    for name, stamp in stamps.items():  # finished before the kill: not redone
        assert (d / name / "summary.json").stat().st_mtime_ns == stamp
    check_sweep(d, seeds, days)


@pytest.mark.slow
def test_a_launcher_finishes_the_runs_of_one_killed_while_it_waits(tmp_path):
    """B skips runs that A holds; A is killed with them unfinished; B runs them at its end."""
    d, days, seeds = tmp_path / "sweep", 365, 6
    a = launch(sweep_cmd(d, days, seeds, jobs=2), tmp_path / "a.log")
    deadline = time.monotonic() + 300
    while sum(claims.live_holder(p) is not None for p in runs(d)) < 2:
        assert a.poll() is None and time.monotonic() < deadline, "A ended too soon"
        time.sleep(0.02)
    b = launch(sweep_cmd(d, days, seeds, jobs=1), tmp_path / "b.log")

    def skipped_unfinished() -> list[str]:
        text = (tmp_path / "b.log").read_text()
        names = [Path(x.split("): ", 1)[1]).name for x in text.splitlines()
                 if x.startswith("skip (claimed by ")]
        return [n for n in names if not record.is_finished(d / n)]

    while not skipped_unfinished():
        assert a.poll() is None and b.poll() is None, "no run was skipped while A held it"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    left = skipped_unfinished()
    kill_group(a)
    left = [n for n in left if not record.is_finished(d / n)]
    assert left, "A finished the run B skipped just before it was killed: try again"
    assert finish(b) == 0, (tmp_path / "b.log").read_text()[-3000:]
    log = (tmp_path / "b.log").read_text()
    assert "Traceback" not in log
    assert "left unfinished by another launcher" in log and "running them here" in log
    for name in left:  # B skipped it, then ran it when A was gone
        assert simulated(log).count(name) == 1, name
    check_sweep(d, seeds, days)
    assert f"results: {d / 'results.parquet'} ({seeds} finished runs)" in log

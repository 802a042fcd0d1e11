"""A classroom on one machine: N simulated students against one app process.

    python benchmarks/classroom_load.py --students 1,10,30 --steps 5   (part of ``make bench``)

For each class size a fresh ``python -m sim.app`` serves 127.0.0.1; one warm-up student loads
the page and steps once (the first model of a process loads the compiled kernels and caches
the sea's pictures: a one-off of the server, not of a student). Then N Playwright contexts of
one headless Chromium (N separate sessions, as N students' browsers would be) each open the
page, type a name, and press Step ``--steps`` times, all at once.

What it measures, phase by phase (page load, then steps):

* the server's CPU seconds (user + system of the app process, all its threads, from
  ``/proc``) divided by the actions: the cost that does not depend on where the browsers run;
* latency per action (from the click or ``goto`` until the page shows the new day) as median
  and 95th percentile;
* the CPU the browsers and the Playwright driver used in the same phase, so that the latency
  can be read against who was using the two cores;
* errors: timeouts, an error or traceback on a page, a session that shows another student's
  name or a day it did not step to (a model shared between sessions would show more days).

The result is one JSON object on stdout (``benchmarks/common.py``'s ``emit``); ``--table``
prints it as a Markdown table instead.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
TICK = os.sysconf("SC_CLK_TCK")
ACTION_TIMEOUT_S = 240  # one page load or one step, at the worst of 30 students on 2 cores
DOC = ROOT / "docs" / "classroom.md"
SHOT = ROOT / "docs" / "img" / "teacher.png"
TARGET_STEP_S, TARGET_LOAD_S = 0.05, 0.3  # server CPU per Step and per page load (issue 17)


# --------------------------------------------------------------------------- processes
def cpu_seconds(pid: int) -> float:
    """User + system CPU of a live process (all its threads), from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def _parents() -> dict[int, int]:
    out = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    out[int(d)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                pass
    return out


def descendants(pid: int) -> list[int]:
    parents = _parents()
    found, frontier = [], [pid]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parents.items() if pp == p]
        found += kids
        frontier += kids
    return found


def tree_cpu(pids: list[int]) -> float:
    total = 0.0
    for p in pids:
        try:
            total += cpu_seconds(p)
        except OSError:  # ended meanwhile
            pass
    return total


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``python -m sim.app`` on a free port of 127.0.0.1, stopped (its process group) on exit."""

    def __init__(self, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = open(log, "w")
        env = dict(os.environ, SOLARA_TELEMETRY_MIXPANEL_ENABLE="False")
        self.proc = subprocess.Popen([sys.executable, "-m", "sim.app", "--port", str(self.port)],
                                     cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                     start_new_session=True)

    def wait(self, timeout: float = 120) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app exited early (code {self.proc.returncode}); "
                                   f"see {self.log.name}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise TimeoutError(f"the app did not answer at {self.url} within {timeout} s")

    def cpu(self) -> float:
        return cpu_seconds(self.proc.pid)

    def stop(self) -> None:
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            if self.proc.poll() is not None:
                break
            try:
                os.killpg(self.proc.pid, sig)
                self.proc.wait(wait)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        self.log.close()


# --------------------------------------------------------------------------- one student
DAY_JS = """([k]) => { const e = document.querySelector('.greyzone-status');
    const m = e && e.innerText.match(/day (\\d+) of/); return m && +m[1] >= k; }"""


PATHWAYS = ("baseline", "enhanced_cooperation", "strategic_stabilization")
CAPACITIES = (0.0, 0.5, 1.0)


class Student:
    """One simulated student: their own browser context (cookies) and levers, given in the
    page's address as a teacher's link would (``?pathway=...&japan_capacity=...&seed=...``),
    so that the runs of a class differ and a session showing another's run is caught."""

    def __init__(self, ctx, name: str, k: int = 0, sign_in: bool = True):
        self.ctx, self.name, self.sign_in = ctx, name, sign_in
        self.levers = dict(pathway=PATHWAYS[k % 3], japan_capacity=CAPACITIES[(k // 3) % 3],
                           seed=k % 10)
        self.page = None
        self.load_s: float | None = None
        self.name_s: float | None = None
        self.step_s: list[float] = []
        self.errors: list[str] = []

    async def load(self, url: str) -> None:
        self.page = await self.ctx.new_page()
        self.page.set_default_timeout(ACTION_TIMEOUT_S * 1000)
        t0 = time.monotonic()
        query = "&".join(f"{k}={v}" for k, v in self.levers.items())
        try:
            await self.page.goto(f"{url}?{query}")
            await self.page.wait_for_selector("img.greyzone-map")
            await self.page.wait_for_function(DAY_JS, arg=[0])
            self.load_s = time.monotonic() - t0
        except Exception as exc:  # noqa: BLE001 (counted and reported, not raised)
            self.errors.append(f"load: {type(exc).__name__}: {str(exc).splitlines()[0]}")

    async def enter_name(self) -> None:
        """Type the name and press Enter; done when the status names the student."""
        if self.errors or not self.sign_in:
            return
        t0 = time.monotonic()
        try:
            await self.page.locator(".greyzone-name input").fill(self.name)
            await self.page.locator(".greyzone-name input").press("Enter")
            await self.page.wait_for_selector(f".greyzone-status:has-text('{self.name}')")
            self.name_s = time.monotonic() - t0
        except Exception as exc:  # noqa: BLE001
            self.errors.append(f"name: {type(exc).__name__}: {str(exc).splitlines()[0]}")

    async def steps(self, n: int) -> None:
        if self.errors:
            return
        button = self.page.get_by_role("button", name="Step", exact=True)
        for k in range(1, n + 1):
            t0 = time.monotonic()
            try:
                await button.click()
                await self.page.wait_for_function(DAY_JS, arg=[k])
                self.step_s.append(time.monotonic() - t0)
            except Exception as exc:  # noqa: BLE001
                self.errors.append(f"step {k}: {type(exc).__name__}: "
                                   f"{str(exc).splitlines()[0]}")
                return

    async def check(self, steps: int) -> None:
        """The session shows its own student and exactly the days it stepped."""
        if self.errors:
            return
        status = await self.page.locator(".greyzone-status").inner_text()
        body = await self.page.locator("body").inner_text()
        if self.name not in status:
            self.errors.append(f"isolation: the status does not name {self.name!r}")
        lev = self.levers
        own = (lev["pathway"].replace("_", " "), f"capacity {lev['japan_capacity']:.2f}",
               f"seed {self.levers['seed']}")
        if not all(x in status for x in own):
            self.errors.append(f"isolation: the status does not show this student's levers {own}")
        if f"day {steps} of" not in status:
            self.errors.append(f"isolation: expected day {steps}, status says "
                               f"{status.splitlines()[0]!r}")
        for bad in ("Traceback", "error in step", "Could not"):
            if bad in body:
                self.errors.append(f"page shows {bad!r}")


async def teacher_view(browser, url: str, shot: Path | None) -> str:
    """The teacher's page after the class has stepped: its table's text (and a screenshot)."""
    ctx = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await ctx.new_page()
    await page.goto(url.rstrip("/") + "/teacher")
    await page.wait_for_selector("table.greyzone-class", timeout=ACTION_TIMEOUT_S * 1000)
    text = await page.locator("table.greyzone-class").inner_text()
    if shot is not None:
        await page.wait_for_timeout(3000)  # Solara fades a page until its kernel is idle
        await page.screenshot(path=str(shot), full_page=True)
        _small(shot)
    await ctx.close()
    return text


def _small(path: Path) -> None:
    """A palette PNG for the docs (a few hundred KB at most)."""
    from PIL import Image

    rgb = Image.open(path).convert("RGB")
    rgb.quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(path, optimize=True)


def in_process_costs(days: int = 20) -> dict:
    """What a Step costs without Solara, in this process: the model's day (24 engine steps)
    and drawing its views (the map picture, the charts' data): the rest of the server's CPU
    per Step is Solara (rendering the page's widgets, sending them)."""
    from sim.ui import charts, map_view
    from sim.ui.classroom import ClassroomModel

    m = ClassroomModel()
    m.step()
    map_view.picture(m)  # the sea's picture and the sprites, once per process
    model = draw = 0.0
    hot = tuple(f.name for f in m.sea.features if f.hotspot)
    for _ in range(days):
        t = time.thread_time()
        m.step()
        model += time.thread_time() - t
        t = time.thread_time()
        map_view.picture(m)
        for data in (charts.incidents_data, charts.fishing_data, charts.presence_data,
                     charts.posture_data):
            json.dumps(data(m))
        json.dumps(charts.presence_spec(hot))
        draw += time.thread_time() - t
    return dict(model_per_step=model / days, drawing_per_step=draw / days, days=days)


# --------------------------------------------------------------------------- a class
def _quantile(xs: list[float], q: float) -> float | None:
    if not xs:
        return None
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def _summary(xs: list[float]) -> dict:
    return dict(n=len(xs), median=statistics.median(xs) if xs else None, p95=_quantile(xs, 0.95),
                max=max(xs) if xs else None)


async def quiet(server: Server, limit_s: float = 60.0) -> float:
    """Wait until the server is idle (its start-up work in a thread, ``warm``, done): the CPU
    it uses per second of wall time over the last second, below 5 % or after ``limit_s``."""
    end = time.monotonic() + limit_s
    while True:
        c0, t0 = server.cpu(), time.monotonic()
        await asyncio.sleep(1.0)
        idle = (server.cpu() - c0) / (time.monotonic() - t0)
        if idle < 0.05 or time.monotonic() > end:
            return idle


async def _phase(server: Server, browser_pids, coros) -> dict:
    c0, b0, w0 = server.cpu(), tree_cpu(browser_pids()), time.monotonic()
    await asyncio.gather(*coros)
    return dict(server_cpu=server.cpu() - c0, browser_cpu=tree_cpu(browser_pids()) - b0,
                wall=time.monotonic() - w0)


async def run_class(n: int, steps: int, workdir: Path, teacher_shot: Path | None = None) -> dict:
    from playwright.async_api import async_playwright

    server = Server(workdir / f"server_{n}.log")
    try:
        server.wait()
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                               args=ARGS)
            me = os.getpid()

            def browser_pids():  # the Playwright driver, Chromium and its renderers
                return descendants(me)

            warm = Student(await browser.new_context(viewport={"width": 1400, "height": 1250}),
                           "warm-up", sign_in=False)  # not one of the class
            await warm.load(server.url)
            await warm.steps(1)
            if warm.errors:
                raise RuntimeError(f"the warm-up student failed: {warm.errors}")
            await warm.ctx.close()
            idle = await quiet(server)

            students = [Student(await browser.new_context(viewport={"width": 1400,
                                                                     "height": 1250}),
                                f"student-{k:02d}", k) for k in range(n)]
            load = await _phase(server, browser_pids, [s.load(server.url) for s in students])
            named = await _phase(server, browser_pids, [s.enter_name() for s in students])
            step = await _phase(server, browser_pids, [s.steps(steps) for s in students])
            await asyncio.gather(*(s.check(steps) for s in students))
            listed = await teacher_view(browser, server.url, teacher_shot)
            missing = [s.name for s in students if not s.errors and s.name not in listed]
            for s in students:
                if s.name in missing:
                    s.errors.append("the teacher's view does not list this student")
            for s in students:
                await s.ctx.close()
            await browser.close()
    finally:
        server.stop()
    loads = [s.load_s for s in students if s.load_s is not None]
    names = [s.name_s for s in students if s.name_s is not None]
    step_times = [t for s in students for t in s.step_s]
    errors = [f"{s.name}: {e}" for s in students for e in s.errors]
    actions_step = max(1, len(step_times))
    return dict(
        students=n, steps_each=steps, errors=errors, idle_server_cpu_per_s=idle,
        load=dict(_summary(loads), server_cpu_per_action=load["server_cpu"] / max(1, len(loads)),
                  **load),
        name=dict(_summary(names), server_cpu_per_action=named["server_cpu"] / max(1, len(names)),
                  **named),
        step=dict(_summary(step_times), server_cpu_per_action=step["server_cpu"] / actions_step,
                  **step))


def table(results: list[dict]) -> str:
    """The load table as Markdown (one row per class size)."""
    def s(x, nd=2):
        return "-" if x is None else f"{x:.{nd}f}"

    rows = ["| students | server CPU per Step (s) | server CPU per page load (s) | server CPU per "
            "name entered (s) | Step latency median / p95 (s) | page load median / p95 (s) | "
            "browsers' CPU per Step (s) | errors |", "|---|---|---|---|---|---|---|---|"]
    for r in results:
        st, ld = r["step"], r["load"]
        rows.append(f"| {r['students']} | {s(st['server_cpu_per_action'], 3)} | "
                    f"{s(ld['server_cpu_per_action'], 3)} | "
                    f"{s(r['name']['server_cpu_per_action'], 3)} | {s(st['median'])} / {s(st['p95'])} | "
                    f"{s(ld['median'])} / {s(ld['p95'])} | "
                    f"{s(st['browser_cpu'] / max(1, st['n']), 3)} | {len(r['errors'])} |")
    return "\n".join(rows)


def _machine() -> dict:
    from common import machine

    return dict(machine(), date=time.strftime("%Y-%m-%d %H:%M"),
                load=round(os.getloadavg()[0], 2))


def document(results: list[dict], own: dict, env: dict) -> str:
    """docs/classroom.md: the load table and what it means for a class (``env``: the machine
    and its load when the classes ran, ``_machine``)."""
    big = results[-1]
    per_step = statistics.median(r["step"]["server_cpu_per_action"] for r in results)
    solara_ms = 1000 * (per_step - own["model_per_step"] - own["drawing_per_step"])
    step_ok = all(r["step"]["server_cpu_per_action"] <= TARGET_STEP_S for r in results)
    load_ok = all(r["load"]["server_cpu_per_action"] <= TARGET_LOAD_S for r in results)
    errors = sum(len(r["errors"]) for r in results)
    rate = 1 / max(1e-9, max(r["step"]["server_cpu_per_action"] for r in results))
    w = []
    w += ["# A classroom on one machine", "",
          "Generated by `make bench` (`benchmarks/classroom_load.py --write`; raw numbers in "
          "`outputs/bench/results.json`). Do not edit by hand: re-run the benchmark.", "",
          f"Measured {env['date']} on {env['cpu']} ({env['cores']} cores, load average "
          f"{env['load']} at the end). One app process (`python -m sim.app`) on 127.0.0.1; N "
          "simulated students are N Playwright contexts of one headless Chromium on the same "
          "machine (separate cookies, so separate sessions, as N students' browsers). Each "
          "opens the page, types a name, then presses **Step** "
          f"{big['steps_each']} times, waiting each time until its page shows the new day; all "
          "N at once. A warm-up student first loads the page and steps once (the first model "
          "of a process loads the compiled kernels and draws the sea's picture: a one-off of "
          "the server). *Server CPU* is the app process's user + system time (all threads) "
          "over the phase, divided by the actions: it does not depend on where the browsers "
          "run (it is counted in clock ticks of 10 ms, so the class of one, with a single page "
          "load and a few Steps, is the least precise row). A page load counts from opening the address (with the student's levers in it, "
          "as a teacher's link) until the map and status are shown; typing the name is "
          "measured on its own (until the status names the student).", ""]
    w += table(results).splitlines()
    w += ["", f"Targets: server CPU per Step ≤ {TARGET_STEP_S} s "
          f"({'met' if step_ok else '**missed**'}: a round of 30 Steps costs the server "
          f"{30 * max(r['step']['server_cpu_per_action'] for r in results):.2f} s at most); "
          f"per page load ≤ {TARGET_LOAD_S} s ({'met' if load_ok else '**missed**'}); errors "
          f"{errors} ({'none' if not errors else 'see below'}; an error is a timeout, an error "
          "or traceback on a page, the teacher's view missing a student, or a session showing "
          "another student's name or a day it did not step to).", ""]
    w += ["## Where a Step's CPU goes", "",
          f"In one process, without Solara (`in_process_costs`, {own['days']} days of the "
          f"default run): the model's day (24 hourly engine steps) "
          f"**{1000 * own['model_per_step']:.1f} ms**; drawing the views "
          f"**{1000 * own['drawing_per_step']:.1f} ms** (the map: vessels and the week's "
          "incidents stamped as small pictures onto the sea's pixels, drawn once per sea, and "
          "encoded as JPEG; the four charts' data as JSON columns: the charts are drawn by the "
          "browser with Vega-Lite). The rest of the server's CPU per Step (the median over the "
          f"class sizes, {1000 * per_step:.0f} ms), about **{solara_ms:.0f} ms**, is Solara: one render pass of the page's widgets and "
          "sending what changed. Before this design a Step cost the server about 0.9 s "
          "(matplotlib redrew the map and four charts, and each tile made its own render "
          "pass over the whole page).", ""]
    w += ["## Who used the two cores", "",
          "| students | phase | wall (s) | server CPU (s) | browsers' and driver's CPU (s) | "
          "share of the 2 cores: server / browsers |", "|---|---|---|---|---|---|"]
    for r in results:
        for phase, label in (("load", "page loads"), ("name", "names entered"), ("step", "Steps")):
            x = r[phase]
            cap = 2 * max(1e-9, x["wall"])
            w.append(f"| {r['students']} | {label} | "
                     f"{x['wall']:.1f} | {x['server_cpu']:.2f} | {x['browser_cpu']:.1f} | "
                     f"{100 * x['server_cpu'] / cap:.0f} % / {100 * x['browser_cpu'] / cap:.0f} % |")
    st = big["step"]
    queue = big["students"] * st["server_cpu_per_action"]
    w += ["", f"With {big['students']} students the median Step took {st['median']:.1f} s "
          f"from click to new day; the server's own work for a whole round of "
          f"{big['students']} Steps is {queue:.2f} s, the most a Step could wait for the "
          "server even if every student clicked at the same instant. The rest of the latency "
          f"(about {max(0.0, st['median'] - queue):.1f} s of the median) is the "
          f"{big['students']} browsers on the same two cores: they used "
          f"{st['browser_cpu']:.0f} CPU-seconds in that phase against the server's "
          f"{st['server_cpu']:.1f} (each browser redraws the map and four charts after every "
          "Step). In a classroom every student's browser runs on their own device, and the "
          "laptop serving the class does only the server's part.", ""]
    w += ["## What it means for a class", "",
          f"The server handles about {rate:.0f} Steps per second of CPU (one Python process, so "
          "one core). Thirty students pressing Step every two seconds ask for 15 a second; "
          "playing (▶) asks for one redraw per *Days per redraw* days per student, so a class "
          "that plays should set it to 7 (a week per redraw). Page loads cost the server "
          f"{big['load']['server_cpu_per_action']:.2f} s each: thirty students arriving at once "
          f"keep it busy for {30 * big['load']['server_cpu_per_action']:.0f} s. "
          "See `docs/teaching.md` (How to run a class) for the set-up.", ""]
    if errors:
        w += ["## Errors", ""] + [f"- {r['students']} students: {e}" for r in results
                                  for e in r["errors"]] + [""]
    w += ["![The teacher's view after the largest class](img/teacher.png)", ""]
    return "\n".join(w)


def main(argv=None) -> None:
    sys.path.insert(0, str(ROOT))
    from sim.base.cli import OneLineParser, fail

    ap = OneLineParser(prog="python benchmarks/classroom_load.py")
    ap.add_argument("--students", default="1,10,30",
                    help="class sizes, comma-separated (at most 40 each)")
    ap.add_argument("--steps", type=int, default=5, help="Steps per student (1-20)")
    ap.add_argument("--table", action="store_true", help="print a Markdown table, not JSON")
    ap.add_argument("--write", action="store_true",
                    help=f"write {DOC.relative_to(ROOT)} and {SHOT.relative_to(ROOT)} (make "
                         "bench) and print a RESULT line")
    ap.add_argument("--workdir", default=str(ROOT / "outputs" / "bench" / "classroom"))
    a = ap.parse_args(argv)
    try:
        sizes = [int(x) for x in a.students.split(",") if x.strip()]
    except ValueError:
        fail(f"--students {a.students!r}: give whole numbers, e.g. --students 1,10,30")
    if not sizes or not all(1 <= n <= 40 for n in sizes):
        fail(f"--students {a.students!r}: each class size from 1 to 40, e.g. --students 1,10,30")
    if not 1 <= a.steps <= 20:
        fail(f"--steps {a.steps}: give a number of Steps from 1 to 20, e.g. --steps 5")
    if not Path(CHROMIUM).exists():
        fail(f"{CHROMIUM} is missing: install Debian's chromium (make chromium)")
    work = Path(a.workdir)
    work.mkdir(parents=True, exist_ok=True)
    own = in_process_costs()
    results = []
    for k, n in enumerate(sizes):
        shot = SHOT if a.write and k == len(sizes) - 1 else None
        results.append(asyncio.run(run_class(n, a.steps, work, teacher_shot=shot)))
    if a.write:
        env = _machine()
        DOC.write_text(document(results, own, env))
        print(table(results))
        print(f"written: {DOC.relative_to(ROOT)}, {SHOT.relative_to(ROOT)}")
        print("RESULT " + json.dumps({"classes": results, "in_process": own, "env": env,
                                      "_table": table(results)}), flush=True)
    elif a.table:
        print(table(results))
    else:
        print(json.dumps(results))


if __name__ == "__main__":
    main()

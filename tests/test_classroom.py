"""A class on one app: students' names, the roster the teacher's view reads, its CSV, and
sessions that never share a model. The load test (many browsers against one app) is at the end,
marked slow; ``make bench`` runs the full one (``benchmarks/classroom_load.py``)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("text, problem", [
    ("", "Type your name"), ("    ", "Type your name"), (None, "Type your name"),
    ("x" * 41, "That name has 41 characters; use at most 40"),
    ("Ana\x00", "letters, digits"), ("Ana\u200b", "letters, digits"),
])
def test_a_bad_name_gets_one_line_that_says_what_to_do(text, problem):
    from sim.ui.roster import check_name

    name, why = check_name(text)
    assert name is None
    assert problem in why and "\n" not in why


def test_a_name_is_tidied():
    from sim.ui.roster import check_name

    assert check_name("  Ana   Lê  ") == ("Ana Lê", None)
    assert check_name("x" * 40) == ("x" * 40, None)


def test_the_roster_keeps_each_browser_s_run_apart_and_follows_a_reset():
    from sim.ui.app import ClassroomModel
    from sim.ui.roster import Roster

    roster = Roster()
    a, b = ClassroomModel(sea="toy", days=10), ClassroomModel(sea="toy", days=10, seed=3)
    seat_a = roster.join("browser-1", "Ana", a)
    seat_b = roster.join("browser-2", "Ana", b)  # the same name in another browser
    assert seat_a is not seat_b and roster.find("browser-1", "Ana").model is a
    assert roster.find("browser-2", "Ana").model is b
    assert roster.find("browser-3", "Ana") is None and roster.find("browser-1", None) is None
    assert roster.join("browser-1", "Ana", a) is seat_a  # a reload: the same seat
    for _ in range(3):
        a.step()
    assert (a.day, b.day) == (3, 0)  # stepping one run leaves the other alone
    assert a.p is not b.p and a.fleet is not b.fleet
    c = ClassroomModel(sea="toy", days=10, japan_capacity=1.0)
    roster.follow(seat_a, c)  # Reset in the first browser
    rows = {r["seed"]: r for r in roster.rows()}
    assert rows[0]["japan_capacity"] == 1.0 and rows[0]["resets"] == 1 and rows[0]["day"] == 0
    assert rows[3]["day"] == 0 and rows[3]["resets"] == 0


def test_the_class_table_as_csv_has_a_row_per_student_with_their_figures():
    from sim.ui.app import ClassroomModel, fire_preset
    from sim.ui.roster import COLUMNS, Roster, to_csv

    roster = Roster()
    m = ClassroomModel(sea="toy", days=30, pathway="strategic_stabilization")
    roster.join("b1", "Ana, \"the captain\"", m)  # a comma and quotes survive the CSV
    for _ in range(4):
        m.step()
    fire_preset(m, "whitsun_swarm")
    m.step()
    roster.join("b2", "Binh", ClassroomModel(sea="toy", days=30))
    text = to_csv(roster.rows())
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == COLUMNS and len(rows) == 2
    ana = rows[0]
    assert ana["name"] == 'Ana, "the captain"' and ana["scenario"] == "strategic_stabilization"
    assert ana["day"] == "5" and "swarm at toy_" in ana["injects"]
    incidents = sum(r[f"incidents_rung_{k}"] for r in m.recorder.day_rows for k in range(8))
    assert int(ana["incidents"]) == incidents
    assert int(ana["severe_incidents"]) <= int(ana["incidents"])
    assert rows[1]["name"] == "Binh" and rows[1]["day"] == "0" and rows[1]["injects"] == ""


def test_the_teacher_page_lists_the_class_or_says_there_is_nothing_yet():
    import ipyvuetify
    import solara

    from sim.ui import roster, teacher
    from sim.ui.app import ClassroomModel

    roster.CLASS.clear()
    try:
        box, rc = solara.render(teacher.TeacherPage(), handle_error=False)
        html = json.dumps([w.get_state() for w in rc.find(solara.widgets.HTML).widgets],
                          default=str) + json.dumps(
            [w.get_state() for w in rc.find(ipyvuetify.Alert).widgets], default=str)
        assert teacher.NOTHING in html
        rc.close()
        roster.CLASS.join("b1", "Chi", ClassroomModel(sea="toy", days=10))
        box, rc = solara.render(teacher.TeacherPage(), handle_error=False)
        html = json.dumps([w.get_state() for w in rc.find(solara.widgets.HTML).widgets],
                          default=str)
        assert "<td>Chi</td>" in html and "1</b> student run(s)" in html
        rc.close()
    finally:
        roster.CLASS.clear()


# --------------------------------------------------------------------------- under load
@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.timeout(600)
def test_ten_students_at_once_cost_the_server_little_and_see_only_their_own_run(tmp_path):
    """The benchmark's harness at the issue's class of ten: ten Playwright sessions against one
    app, each with its own levers in the address, load the page, type a name and press Step
    twice; the harness checks that each page shows its own student, levers and day, and that
    the teacher's view lists all ten. (Ten, not three: a page load's server CPU is ~0.21 s
    in a class of ten, but a class of three pays the phase's fixed costs over three loads and
    sits at 0.28-0.31 s, on the target's edge: docs/classroom.md.)"""
    if not Path("/usr/bin/chromium").exists():
        if os.environ.get("GREYZONE_REQUIRE_BROWSER") == "1":
            pytest.fail("/usr/bin/chromium is missing although make test installs it")
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "classroom_load.py"),
                           "--students", "10", "--steps", "2", "--workdir", str(tmp_path)],
                          capture_output=True, text=True, timeout=560, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (r,) = json.loads(proc.stdout)
    assert r["errors"] == []
    assert r["step"]["n"] == 20 and r["load"]["n"] == 10 and r["name"]["n"] == 10
    # the budget (0.05 s per Step, 0.3 s per page load), with no slack taken away
    assert r["step"]["server_cpu_per_action"] <= 0.05, r["step"]
    assert r["load"]["server_cpu_per_action"] <= 0.3, r["load"]


def test_a_run_of_the_app_has_the_parameters_the_command_line_would_compose():
    """The app composes each sea and scenario once and sets the levers' keys and the seed on
    it: the same typed config as composing everything (``python -m sim`` with the overrides)."""
    from sim.params import to_params
    from sim.params.compose import compose
    from sim.ui.app import ClassroomModel

    for levers in (dict(pathway="enhanced_cooperation", japan_capacity=0.75, seed=7),
                   dict(pathway="strategic_stabilization", japan_capacity=0.0, economic_cost=2.0,
                        risk_aversion=4.0, roe_max=3, seed=2),
                   dict(pathway="combined", japan_capacity=1.0, seed=9)):
        m = ClassroomModel(sea="toy", days=20, **levers)
        assert m.p == to_params(compose(m.overrides)), levers
        assert m.p.seed == levers["seed"]


def test_levers_in_a_link_are_checked_and_a_bad_one_named_in_one_line():
    from sim.ui.app import levers_in, student_in

    levers, problems = levers_in("pathway=enhanced_cooperation&japan_capacity=0.5&seed=3"
                                 "&student=Ana")
    assert levers == {"pathway": "enhanced_cooperation", "japan_capacity": 0.5, "seed": 3}
    assert problems == []
    assert student_in("pathway=baseline&student=Ana%20Lee") == "Ana Lee"
    assert student_in("student=") is None and student_in(None) is None
    levers, problems = levers_in("seed=99&japan_capacity=0.3&colour=red")
    assert levers == {}
    assert len(problems) == 3 and all("\n" not in p for p in problems)
    assert "seed=99 is not allowed; choose one of 0, 1" in problems[0]
    assert "japan_capacity=0.3 is not allowed" in problems[1]
    assert "'colour' in the address is not a lever" in problems[2]

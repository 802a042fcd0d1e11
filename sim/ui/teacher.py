"""The teacher's view (``/teacher``): the class's runs in one table, and that table as CSV for
the debrief ("who raised Japan's capacity, and what happened?").

It reads the roster (``sim.ui.roster``) every few seconds while it is open: that costs the
server a few milliseconds per refresh for a class of thirty, and nothing for the students.
"""

from __future__ import annotations

import datetime as dt
import html
import threading

import solara

from sim.ui.roster import CLASS, COLUMNS, to_csv

REFRESH_S = 5  # seconds between refreshes of the table
HEADINGS = {"name": "student", "japan_capacity": "Japan's capacity", "economic_cost":
            "China's economic cost", "risk_aversion": "fishers' risk aversion",
            "roe_max": "China's highest ceiling", "severe_incidents": "severe (rung 4+)",
            "injects": "injects fired", "crisis_day": "crisis on day",
            "idle_minutes": "idle (min)"}
NOTHING = "No student has typed a name yet: there is nothing to list or export."


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return html.escape(str(value))


def table_html(rows: list[dict]) -> str:
    head = "".join(f"<th>{html.escape(HEADINGS.get(c, c.replace('_', ' ')))}</th>"
                   for c in COLUMNS)
    body = "".join("<tr>" + "".join(f"<td>{_cell(r[c])}</td>" for c in COLUMNS) + "</tr>"
                   for r in rows)
    return (f'<table class="greyzone-class" style="border-collapse: collapse; font-size: 12px">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            "<style>.greyzone-class th, .greyzone-class td {border-bottom: 1px solid #ddd; "
            "padding: 3px 8px; text-align: left; vertical-align: top} .greyzone-class th "
            "{background: #f3f6fa}</style>")


def by_levers(rows: list[dict]) -> list[str]:
    """One line per scenario and capacity: how many students, and their severe incidents per
    100 days (runs of different length compare by rate)."""
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault((r["scenario"], r["japan_capacity"]), []).append(r)
    lines = []
    for (scenario, capacity), rs in sorted(groups.items()):
        days = sum(r["day"] for r in rs)
        rate = 100 * sum(r["severe_incidents"] for r in rs) / days if days else 0.0
        lines.append(f"{scenario.replace('_', ' ')}, Japan's capacity {capacity:g}: "
                     f"{len(rs)} student(s), {days} days run, {rate:.1f} severe incidents per "
                     "100 days")
    return lines


@solara.component
def TeacherPage():
    tick, set_tick = solara.use_state(0)
    auto, set_auto = solara.use_state(True)

    def refresh_loop(cancel: threading.Event):
        while auto and not cancel.wait(REFRESH_S):
            set_tick(lambda t: t + 1)

    solara.use_thread(refresh_loop, dependencies=[auto])
    rows = CLASS.rows()
    solara.Title("Grey-zone classroom: the teacher's view")
    with solara.AppBar():
        solara.AppBarTitle("The class: every student's run (teacher's view)")
    with solara.Column(style={"padding": "12px"}):
        solara.HTML(tag="div", classes=["greyzone-class-count"], unsafe_innerHTML=(
            f"<b>{len(rows)}</b> student run(s) in this app, at "
            f"{dt.datetime.now():%H:%M:%S}. Students appear once they type their name; a "
            "reload keeps their run."))
        with solara.Row():
            solara.Button("Refresh now", on_click=lambda: set_tick(tick + 1), outlined=True,
                          color="primary")
            solara.Checkbox(label=f"Refresh every {REFRESH_S} s", value=auto,
                            on_value=set_auto)
            if rows:
                solara.FileDownload(lambda: to_csv(CLASS.rows()), label="Download the table (CSV)",
                                    filename=f"class-{dt.datetime.now():%Y%m%d-%H%M}.csv",
                                    mime_type="text/csv")
        if not rows:
            solara.Info(NOTHING, classes=["greyzone-class-empty"])
        else:
            solara.HTML(tag="div", unsafe_innerHTML="<b>By pathway and capacity</b><br>"
                        + "<br>".join(html.escape(x) for x in by_levers(rows)),
                        style="font-size: 13px; line-height: 1.5")
            solara.HTML(tag="div", unsafe_innerHTML=table_html(rows),
                        style="overflow-x: auto")

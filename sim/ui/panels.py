"""The app's tiles (SolaraViz components): the map, the charts, the run's status with the inject
buttons, and China's posture with the States' latest decisions."""

from __future__ import annotations

import html
import re

import numpy as np
import solara
from mesa.visualization.utils import force_update
from reacton import ipywidgets as rw

from sim.engine.ladder import RUNGS, SEVERE
from sim.plots import palette
from sim.ui import charts, map_view, vega
from sim.ui.injects import INJECT_LABELS, fire_preset, inject_presets

#: Decisions shown under the posture chart (and every inject).
SHOWN_DECISIONS = ("roe_ceiling", "target_priority", "patrol_allocation", "delivery",
                   "standoff_begins", "standoff_china_held", "standoff_china_withdrew",
                   "armed_force", "cbm_accepted")


def _image(data: bytes, max_height: str, name: str, kind: str = "png"):
    """A picture scaled to its tile; CSS class ``greyzone-NAME`` (the browser test finds it)."""
    return rw.Image(value=data, format=kind, _dom_classes=[f"greyzone-{name}"],
                    layout={"max_width": "100%", "max_height": max_height,
                            "object_fit": "contain"})


def _html(lines: list[str], size: int = 13, css_class: str = ""):
    """Lines of text with **bold**, as HTML (Solara's Markdown would fetch KaTeX from a CDN)."""
    body = "<br>".join(re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", html.escape(x)) for x in lines)
    return solara.HTML(tag="div", unsafe_innerHTML=body, classes=[css_class] if css_class else [],
                       style=f"font-size: {size}px; line-height: 1.45")


def _key(items: list[tuple[str, str, str]], size: int = 11) -> str:
    """A legend as HTML: a coloured glyph before each label."""
    return " ".join(f'<span style="white-space: nowrap; margin-right: 10px"><span style="color: '
                    f'{html.escape(colour)}">{html.escape(glyph)}</span> {html.escape(text)}'
                    f"</span>" for glyph, colour, text in items)


def _header(title: str, note: str = "", key: list[tuple[str, str, str]] = ()):
    body = f"<b>{html.escape(title)}</b>"
    if note:
        body += f' <span style="color: #555">&middot; {html.escape(note)}</span>'
    if key:
        body += f"<br>{_key(list(key))}"
    return solara.HTML(tag="div", unsafe_innerHTML=body,
                       style="font-size: 12px; line-height: 1.5; padding: 2px 4px")


def MapView(model):
    """The sea map: a picture stamped on the cached sea (``map_view``), the date above it and
    the legend with today's counts below it."""
    with model.lock:  # not while a step or an inject changes the fleet
        jpeg, vessels, rings = map_view.picture(model)
        title = f"{model.date:%d %b %Y} (day {model.day})"
    with solara.Column(gap="2px") as main:
        solara.HTML(tag="div", unsafe_innerHTML=f"<b>{html.escape(title)}</b>",
                    classes=["greyzone-map-date"], style="font-size: 14px; padding-left: 40px")
        _image(jpeg, "520px", "map", "jpeg")
        solara.HTML(tag="div", style="font-size: 11px; line-height: 1.5; padding: 0 8px",
                    unsafe_innerHTML="<b>At sea now</b><br>" + _key(vessels)
                    + f"<br><b>Incidents, last {map_view.RECENT_DAYS} days</b> (ring size grows "
                    "with the rung)<br>" + _key(rings))
    return main


def _chart(model, name: str, title: str, spec: dict, data, note, key=()):
    with model.lock:
        cols, text = data(model), note(model)
    return solara.Column([_header(title, text, key), vega.chart(spec, cols, name)], gap="0px")


def IncidentsChart(model):
    return _chart(model, "incidents", "Incidents by rung (7-day mean)", charts.incidents_spec(),
                  charts.incidents_data, charts.incidents_note)


def FishingChart(model):
    key = [("—", charts.VIETNAM_LIGHT, "daily"), ("—", charts.VIETNAM, "7-day mean"),
           ("- -", "black", "run so far"), ("■", palette.MORATORIUM, "China's summer moratorium")]
    return _chart(model, "fishing", "Vietnamese fishing access to contested waters",
                  charts.fishing_spec(), charts.fishing_data, charts.fishing_note, key)


def PresenceChart(model):
    spec = charts.presence_spec(tuple(f.name for f in model.sea.features if f.hotspot))
    return _chart(model, "presence", "Presence at hot spots", spec, charts.presence_data,
                  charts.presence_note)


def status_lines(model) -> list[str]:
    """A few lines about the run now, for the panel beside the map."""
    rung = np.zeros(len(RUNGS), int)
    for row in model.recorder.day_rows:
        rung += [row[f"incidents_rung_{r}"] for r in range(len(RUNGS))]
    c = int(model.china.ceiling.max())
    where = ", ".join(f"{model.dst.slug[h].replace('_', ' ')} {int(r)}"
                      for h, r in zip(model.china.hotspots, model.china.ceiling))
    moratorium = "; moratorium in force" if model.moratorium_on else ""
    who = [f"Run of **{model.student}**"] if getattr(model, "student", None) else []
    return who + [
        f"**{model.date:%d %B %Y}**, day {model.day} of {model.days} "
        f"({model.p.scenario.name.replace('_', ' ')}, Japan's capacity "
        f"{model.p.japan.capacity:.2f}, {model.p.sea.name} sea)",
        f"China's rules of engagement allow up to rung **{c}** "
        f"({RUNGS[c].replace('_', ' ')}) at its harshest hot spot ({where}){moratorium}",
        f"Incidents so far: **{int(rung.sum())}**, severe (rung {SEVERE}+): "
        f"**{int(rung[SEVERE:].sum())}**",
        f"Japanese-built hulls in service: {model.japan.delivered_vessels}; "
        f"Japanese radars: {model.japan.delivered_radars}",
        f"Levers of this run: economic cost {model.p.china.economic_cost:g}, fishers' risk "
        f"aversion {model.p.vietnam.risk_aversion:g}, China's highest weekly ceiling "
        f"{model.p.china.roe_max}, seed {model.p.seed}",
    ]


def _run_state(model) -> None:
    """Why the run has stopped, if it has."""
    if model.crisis_day is not None:
        solara.Error(f"Crisis: use of weapons on day {model.crisis_day}. Grey-zone "
                     "conditions are over; the run stops. Press Reset to start again.",
                     dense=True)
    elif not model.running:
        solara.Info("The run has reached its last day. Press Reset to start again.",
                    dense=True)


def _events(model) -> list[str]:
    """The last five injects fired so far, and whether each is still running."""
    events = [e for e in model.injects.events if e.day <= model.day]
    return [f"day {e.day}: {e.kind.replace('_', ' ')} at {e.hotspot}, "
            + (f"until day {e.day + e.duration_days}"
               if e.day + e.duration_days > model.day else "ended")
            for e in events[-5:]]


def Injects(model):
    """The inject panel, told what changed (so that it redraws in the step's render pass)."""
    return InjectPanel(model, model.day, model.running, len(model.injects.events),
                       model.student)


@solara.component
def InjectPanel(model, day: int, running: bool, fired: int, student: str | None):
    """Status of the run, inject buttons and the list of events so far."""
    where, set_where = solara.use_state("as in the preset")
    message, set_message = solara.use_state("")

    def fire(name):
        try:
            e = fire_preset(model, name, where)
            set_message(f"Fired: {e.kind} at {e.hotspot} from day {e.day} "
                        f"for {e.duration_days} days")
        except Exception as exc:  # show a bad inject to the user, keep the app alive
            set_message(f"Could not fire {name}: {exc}")
        force_update()

    with solara.Column(gap="4px", style={"padding": "4px 8px"}) as main:
        _html(status_lines(model), 13, "greyzone-status")
        _run_state(model)
        solara.Text("Levers in the sidebar take effect when you press Reset.",
                    style={"font-size": "12px", "color": "#555"})
        _html(["**Injects**: fire an event now"], 13)
        solara.Select("Where (rig, survey, swarm, drilling)", value=where,
                      values=["as in the preset"] + model.sea.hotspot_slugs, on_value=set_where,
                      dense=True)
        with solara.Row(gap="4px", style={"flex-wrap": "wrap"}):
            for name in inject_presets():
                solara.Button(INJECT_LABELS[name], on_click=lambda n=name: fire(n),
                              small=True, outlined=True, color="primary",
                              disabled=not model.running, classes=[f"inject-{name}"])
        if message:
            solara.Text(message, style={"font-size": "12px"})
        events = _events(model)
        if events:
            _html(events, 12, "greyzone-events")
    return main


def PostureView(model):
    """China's ceiling over time and the last decisions of each State, with their reasons."""
    key = [("—", charts.CHINA, "China's ROE ceiling (left)"),
           ("—", charts.JAPAN, "hotline / code level (right)")]
    with model.lock:
        cols = charts.posture_data(model)
        note = charts.posture_note(model)
        last = {}
        for date, day, state, what, value, reason in model.recorder.decisions[-40:]:
            if what in SHOWN_DECISIONS or what.startswith("inject"):
                last[(state, what)] = (day, reason)
    rows = sorted(last.items(), key=lambda kv: -kv[1][0])[:5]
    lines = [f"day {day}, {state} {what.replace('_', ' ')}: {reason}"
             for (state, what), (day, reason) in rows] or ["No decisions yet."]
    return solara.Column([_header("China's posture", note, key),
                          vega.chart(charts.posture_spec(), cols, "posture"),
                          _html(["**Latest decisions**"] + lines, 12)], gap="2px")

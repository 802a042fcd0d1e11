"""The browser app: Mesa's SolaraViz with the sea map, levers, injects and live charts.

    python -m sim.app [--port N] [--host H]     (also ``make app``; default 127.0.0.1:8765)

Each browser session builds its own model (in ``Page``; never at import, where one model would
be shared by every session). One Mesa step of ``ClassroomModel`` is one simulated day (24
hourly steps of the engine). Levers in the sidebar apply when the user presses Reset, which
builds a new model with them; inject buttons fire an event at once in the running model.
The pictures are drawn by ``sim.appviews``.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import os
import re
import sys
import threading
from functools import lru_cache
from pathlib import Path

os.environ["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"  # before Solara is imported

import numpy as np  # noqa: E402
import solara  # noqa: E402
from mesa.visualization import SolaraViz  # noqa: E402
from mesa.visualization import solara_viz as _solara_viz  # noqa: E402
from mesa.visualization.utils import force_update, update_counter  # noqa: E402
from reacton import ipywidgets as rw  # noqa: E402

from sim.ui import views  # noqa: E402
from sim import params as params_mod  # noqa: E402
from sim.params.compose import compose  # noqa: E402
from sim.world.model import GreyZoneModel  # noqa: E402

SCENARIOS = ("baseline", "enhanced_cooperation", "strategic_stabilization")
_COMPOSE_LOCK = threading.Lock()  # Hydra's global state: one composition at a time


class ClassroomModel(GreyZoneModel):
    """The model as the app drives it: one Mesa step is one day.

    The keyword arguments are the app's levers; each maps to one config key (see
    ``overrides``). Everything else is the composed default of that scenario and sea.
    """

    def __init__(self, pathway: str = "baseline", sea: str = "scs", japan_capacity: float = 0.25,
                 economic_cost: float = 0.2, risk_aversion: float = 0.5, roe_max: int = 6,
                 seed: int = 0, days: int = 365):
        self.days = int(days)
        self.overrides = [
            f"sea={sea}", f"scenario={pathway}", f"japan.capacity={float(japan_capacity):.3g}",
            f"china.economic_cost={float(economic_cost):.3g}",
            f"vietnam.risk_aversion={float(risk_aversion):.3g}", f"china.roe_max={int(roe_max)}",
            f"seed={int(seed)}", f"run.days={self.days}", "run.progress=off"]
        with _COMPOSE_LOCK:
            cfg = compose(self.overrides)
        super().__init__(params_mod.to_params(cfg))
        self.lock = threading.RLock()  # steps, inject buttons and drawing take turns

    def step(self) -> None:
        """One day: ``steps_per_day`` steps of the engine's phase list."""
        with self.lock:
            for _ in range(self.steps_per_day):
                self.advance()
            ended = self.crisis_day is not None and self.p.run.stop_at_crisis
            if ended or self.day >= self.days:
                self.running = False


# --------------------------------------------------------------------------- the views
INJECT_DIR = Path(__file__).resolve().parents[2] / "configs" / "inject"
INJECT_LABELS = {  # button text for each preset file in configs/inject/
    "hysy981": "Oil rig + escort (HYSY-981, 2014)",
    "haiyang_dizhi_8": "Survey ship (Haiyang Dizhi 8, 2019)",
    "whitsun_swarm": "Militia swarm (Whitsun Reef, 2021)",
    "vanguard_drilling": "Vietnam drills (Vanguard Bank)",
    "hotline": "Hotline agreed (Second Thomas, 2024)",
    "japan_delivery": "Japan hands over patrol vessels",
}
PLACED = ("rig", "survey", "swarm", "vn_drilling")  # kinds that happen at a hot spot


def _image(png: bytes, max_height: str, name: str):
    """A PNG scaled to its tile; CSS class ``greyzone-NAME`` (the browser test finds it)."""
    return rw.Image(value=png, format="png", _dom_classes=[f"greyzone-{name}"],
                    layout={"max_width": "100%", "max_height": max_height,
                            "object_fit": "contain"})


def _html(lines: list[str], size: int = 13, css_class: str = ""):
    """Lines of text with **bold**, as HTML (Solara's Markdown would fetch KaTeX from a CDN)."""
    body = "<br>".join(re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", html.escape(x)) for x in lines)
    return solara.HTML(tag="div", unsafe_innerHTML=body, classes=[css_class] if css_class else [],
                       style=f"font-size: {size}px; line-height: 1.45")


def _locked(model, draw):
    with model.lock:  # not while a step or an inject changes the fleet
        return draw(model)


def MapView(model):
    """The sea map (SolaraViz re-draws it after every step)."""
    return _image(_locked(model, views.map_png), "660px", "map")


def IncidentsChart(model):
    return _image(_locked(model, views.incidents_png), "340px", "incidents")


def PresenceChart(model):
    return _image(_locked(model, views.presence_png), "380px", "presence")


def FishingChart(model):
    return _image(_locked(model, views.fishing_png), "340px", "fishing")


@lru_cache(maxsize=1)
def inject_presets() -> dict[str, dict]:
    """The inject files of configs/inject/ (name -> kind, hotspot, duration, size, escort)."""
    import dataclasses

    from sim.params.compose import inject_file

    out = {}
    for name in INJECT_LABELS:
        if (INJECT_DIR / f"{name}.yaml").exists():
            events = inject_file(name)
            if events:
                out[name] = dataclasses.asdict(events[0])
    return out


def fire_preset(model, name: str, where: str | None = None):
    """Fire one of the preset injects now, at ``where`` (a hot spot slug) or where the preset
    says (or, if that hot spot is not on this sea, the first hot spot of the sea)."""
    e = dict(inject_presets()[name])
    slugs = [h.slug for h in views.hotspots(model)]
    spot = where if where in slugs else e.get("hotspot")
    if e["kind"] in PLACED and spot not in slugs:
        spot = slugs[0]
    with getattr(model, "lock", contextlib.nullcontext()):
        return model.injects.fire(e["kind"], spot, e.get("duration_days", 30),
                                  e.get("size", 1), e.get("escort", 0))


def status_lines(model) -> list[str]:
    """A few lines about the run now, for the panel beside the map."""
    d = model.recorder.day_rows
    rung = np.zeros(8, int)
    for row in d:
        rung += [row[f"incidents_rung_{r}"] for r in range(8)]
    c = model.china.ceiling
    moratorium = "; moratorium in force" if model.moratorium_on else ""
    lines = [
        f"**{model.date:%d %B %Y}**, day {model.day} of {model.days} "
        f"({model.p.scenario.name.replace('_', ' ')}, Japan's capacity "
        f"{model.p.japan.capacity:.2f}, {model.p.sea.name} sea)",
        f"China's rules of engagement allow up to rung **{c}** "
        f"({views.RUNGS[c].replace('_', ' ')}){moratorium}",
        f"Incidents so far: **{int(rung.sum())}**, severe (rung 4+): **{int(rung[4:].sum())}**",
        f"Japanese-built hulls in service: {model.japan.delivered_vessels}; "
        f"Japanese radars: {model.japan.delivered_radars}",
        f"Levers of this run: economic cost {model.p.china.economic_cost:g}, fishers' risk "
        f"aversion {model.p.vietnam.risk_aversion:g}, China's highest rung "
        f"{model.p.china.roe_max}, seed {model.p.seed}",
    ]
    return lines


@solara.component
def InjectPanel(model):
    """Status of the run, inject buttons and the list of events so far."""
    update_counter.get()  # re-render after every step
    where, set_where = solara.use_state("as in the preset")
    message, set_message = solara.use_state("")
    slugs = [h.slug for h in views.hotspots(model)]

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
        if model.crisis_day is not None:
            solara.Error(f"Crisis: use of weapons on day {model.crisis_day}. Grey-zone "
                         "conditions are over; the run stops. Press Reset to start again.",
                         dense=True)
        elif not model.running:
            solara.Info("The run has reached its last day. Press Reset to start again.",
                        dense=True)
        solara.Text("Levers in the sidebar take effect when you press Reset.",
                    style={"font-size": "12px", "color": "#555"})
        _html(["**Injects**: fire an event now"], 13)
        solara.Select("Where (rig, survey, swarm, drilling)", value=where,
                      values=["as in the preset"] + slugs, on_value=set_where, dense=True)
        with solara.Row(gap="4px", style={"flex-wrap": "wrap"}):
            for name in inject_presets():
                solara.Button(INJECT_LABELS[name], on_click=lambda n=name: fire(n),
                              small=True, outlined=True, color="primary",
                              disabled=not model.running, classes=[f"inject-{name}"])
        if message:
            solara.Text(message, style={"font-size": "12px"})
        events = [e for e in model.injects.events if e.day <= model.day]
        if events:
            _html([f"day {e.day}: {e.kind.replace('_', ' ')} at {e.hotspot}, "
                   + (f"until day {e.day + e.duration_days}"
                      if e.day + e.duration_days > model.day else "ended")
                   for e in events[-5:]], 12, "greyzone-events")
    return main


def PostureView(model):
    """China's ceiling over time and the last decisions of each State, with their reasons."""
    with model.lock:
        png = views.posture_png(model)
        last = {}
        for date, day, state, what, value, reason in model.recorder.decisions[-40:]:
            if what in ("roe_ceiling", "target_priority", "patrol_allocation", "delivery") \
                    or what.startswith("inject"):
                last[(state, what)] = (day, reason)
    rows = sorted(last.items(), key=lambda kv: -kv[1][0])[:5]
    lines = [f"day {day}, {state} {what.replace('_', ' ')}: {reason}"
             for (state, what), (day, reason) in rows] or ["No decisions yet."]
    return solara.Column([_image(png, "260px", "posture"),
                          _html(["**Latest decisions**"] + lines, 12)], gap="2px")


# --------------------------------------------------------------------------- the page
def _select(label: str, value, values) -> dict:
    return {"type": "Select", "label": label, "value": value, "values": list(values)}


#: The levers in the sidebar (SolaraViz's "Model Parameters"): drop-downs, so that the value
#: chosen is always visible; they apply on Reset.
MODEL_PARAMS = {
    "pathway": _select("Scenario (pathway)", "baseline", SCENARIOS),
    "japan_capacity": _select("Japan's capacity building (japan.capacity, 0-1)", 0.25,
                              (0.0, 0.25, 0.5, 0.75, 1.0)),
    "economic_cost": _select("China's economic cost of coercion (china.economic_cost)", 0.2,
                             (0.0, 0.2, 0.5, 1.0, 2.0)),
    "risk_aversion": _select("Vietnamese fishers' risk aversion (vietnam.risk_aversion)", 0.5,
                             (0.0, 0.5, 1.0, 2.0, 4.0)),
    "roe_max": _select("Highest rung China will allow (china.roe_max)", 6, (3, 4, 5, 6)),
    "sea": _select("Sea (scs: South China Sea; toy: small synthetic sea)", "scs",
                   ("scs", "toy")),
    "seed": _select("Seed (another seed: another sample of chance)", 0, range(10)),
    "days": 365,
}
DEFAULTS = {k: v["value"] if isinstance(v, dict) else v for k, v in MODEL_PARAMS.items()}
COMPONENTS = [(MapView, 0), (InjectPanel, 0), (IncidentsChart, 0), (FishingChart, 0),
              (PresenceChart, 0), (PostureView, 0)]
#: Where each component sits (12 columns; rows of 30 px): the map large, the injects beside it.
LAYOUT = [dict(i=0, x=0, y=0, w=7, h=17), dict(i=1, x=7, y=0, w=5, h=17),
          dict(i=2, x=0, y=17, w=6, h=9), dict(i=3, x=6, y=17, w=6, h=9),
          dict(i=4, x=0, y=26, w=6, h=10), dict(i=5, x=6, y=26, w=6, h=10)]
_default_layout = _solara_viz.make_initial_grid_layout


def _layout(num_components: int) -> list[dict]:
    """SolaraViz gives every component the same half-width tile; ours gets LAYOUT."""
    if num_components == len(LAYOUT):
        return [dict(item, moved=False) for item in LAYOUT]
    return _default_layout(num_components)


_solara_viz.make_initial_grid_layout = _layout  # a pure function of the count: safe to share


@solara.component
def Page():
    """One browser session: its own model, shown by SolaraViz."""
    model = solara.use_memo(lambda: ClassroomModel(**DEFAULTS), [])
    return SolaraViz(model, components=COMPONENTS, model_params=MODEL_PARAMS,
                     name="Grey-zone escalation at sea (one step = one day)", play_interval=50)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m sim.app",
                                 description="Serve the browser app (Mesa SolaraViz).")
    ap.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    ap.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    args = ap.parse_args(argv)
    import warnings

    from solara.__main__ import main as solara_main

    # Plain http on 127.0.0.1: Solara's note about samesite cookies does not apply.
    warnings.filterwarnings("ignore", message="Cookies with samesite")

    print(f"greyzone app: open http://{args.host}:{args.port}/ (Ctrl-C stops it)", flush=True)
    sys.argv = ["solara", "run", "sim.ui.app:Page", "--host", args.host, "--port", str(args.port),
                "--production", "--no-open", "--no-check-version", "--log-level", "warning"]
    solara_main()


if __name__ == "__main__":
    main()

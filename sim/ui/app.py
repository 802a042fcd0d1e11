"""The browser app: the sea map, levers, injects and live charts, and the teacher's view.

    python -m sim.app [--port N] [--host H]     (also ``make app``; default 127.0.0.1:8765)

Two pages (``routes``): ``/``, a student's run, and ``/teacher``, the class (``sim.ui.teacher``).
Each browser session builds its own model (in ``StudentPage``; never at import, where one model
would be shared by every session). One Mesa step of ``ClassroomModel`` is one simulated day (24
hourly steps of the engine). Levers in the sidebar apply when the user presses Reset, which
builds a new model with them; inject buttons fire an event at once in the running model.
The page is built from Mesa's SolaraViz parts (its ``ModelController`` for Reset, play and
Step, its ``ModelCreator`` for the levers) with the project's words: no "Page 0" tab, no "Use
Threads" switch (a thread per student would not make one Python process draw faster). The
tiles are in ``sim.ui.panels``, the pictures in ``sim.ui.map_view`` and ``sim.ui.charts``.
"""

from __future__ import annotations

import os
import urllib.parse

os.environ["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"  # before Solara is imported

import solara  # noqa: E402
from mesa.visualization.solara_viz import ModelController, ModelCreator  # noqa: E402
from mesa.visualization.utils import force_update, update_counter  # noqa: E402

from sim.params import scenarios  # noqa: E402
# The model as the app drives it and firing an inject are also used without a browser (tests,
# notebooks): ``from sim.ui.app import ClassroomModel, fire_preset``.
from sim.ui.classroom import ClassroomModel  # noqa: E402
from sim.ui.injects import fire_preset  # noqa: E402,F401
from sim.ui.panels import (FishingChart, IncidentsChart, Injects, MapView,  # noqa: E402
                           PostureView, PresenceChart)
from sim.ui.roster import CLASS, check_name  # noqa: E402
from sim.ui.teacher import TeacherPage  # noqa: E402

TITLE = "Grey-zone escalation at sea (one step = one day)"


def _select(label: str, value, values) -> dict:
    return {"type": "Select", "label": label, "value": value, "values": list(values)}


#: The levers in the sidebar (Mesa's ModelCreator): drop-downs, so that the value chosen is
#: always visible; they apply on Reset.
MODEL_PARAMS = {
    "pathway": _select("Scenario (pathway)", scenarios.BASELINE, scenarios.names()),
    "japan_capacity": _select("Japan's capacity building (japan.capacity, 0-1)", 0.25,
                              (0.0, 0.25, 0.5, 0.75, 1.0)),
    "economic_cost": _select("China's economic cost of coercion (china.economic_cost)", 0.2,
                             (0.0, 0.2, 0.5, 1.0, 2.0)),
    "risk_aversion": _select("Vietnamese fishers' risk aversion (vietnam.risk_aversion)", 0.5,
                             (0.0, 0.5, 1.0, 2.0, 4.0)),
    "roe_max": _select("Highest ceiling China's weekly rule sets (china.roe_max; a decision for "
                       "armed force at a stand-off goes to 7)", 6, (3, 4, 5, 6)),
    "sea": _select("Sea (scs: South China Sea; toy: small synthetic sea)", "scs",
                   ("scs", "toy")),
    "seed": _select("Seed (another seed: another sample of chance)", 0, range(10)),
    "days": 365,
}
DEFAULTS = {k: v["value"] if isinstance(v, dict) else v for k, v in MODEL_PARAMS.items()}
COMPONENTS = [MapView, Injects, IncidentsChart, FishingChart, PresenceChart, PostureView]
#: Where each tile sits (12 columns; rows of 30 px): the map large, the injects beside it.
LAYOUT = [dict(i=0, x=0, y=0, w=7, h=16), dict(i=1, x=7, y=0, w=5, h=16),
          dict(i=2, x=0, y=16, w=6, h=9), dict(i=3, x=6, y=16, w=6, h=9),
          dict(i=4, x=0, y=25, w=6, h=10), dict(i=5, x=6, y=25, w=6, h=10)]


@solara.component
def ClassView(model):
    """The tiles, in a grid the student may rearrange, redrawn after each step.

    Only this component listens to Mesa's step counter (``force_update`` bumps it), and the
    tiles are plain functions called here: a step is then one render pass of the page.
    (With a listening component per tile, as Mesa's SolaraViz makes them, each step made
    seven passes over the whole page, about 25 ms of the server's CPU.)"""
    update_counter.get()
    layout, set_layout = solara.use_state([dict(item, moved=False) for item in LAYOUT])
    solara.GridDraggable(items=[tile(model) for tile in COMPONENTS], grid_layout=layout,
                         resizable=True, draggable=True, on_grid_layout=set_layout)


def lever_params(levers: dict | None) -> dict:
    """``MODEL_PARAMS`` with a run's own levers as the values shown (a restored run)."""
    if not levers:
        return MODEL_PARAMS
    return {k: (dict(v, value=levers.get(k, v["value"])) if isinstance(v, dict) else v)
            for k, v in MODEL_PARAMS.items()}


def student_in(search: str | None) -> str | None:
    """The name in the page's address (``?student=NAME``), if any."""
    values = urllib.parse.parse_qs(search or "").get("student")
    return check_name(values[0])[0] if values else None


def levers_in(search: str | None) -> tuple[dict, list[str]]:
    """Levers in the page's address (e.g. ``?pathway=enhanced_cooperation&seed=3``: a teacher
    can hand each pair a link with its levers), and one line per value that is not allowed."""
    levers, problems = {}, []
    for key, values in urllib.parse.parse_qs(search or "").items():
        spec = MODEL_PARAMS.get(key)
        if key == "student":
            continue
        if not isinstance(spec, dict):
            problems.append(f"'{key}' in the address is not a lever; the levers are "
                            + ", ".join(k for k, v in MODEL_PARAMS.items() if isinstance(v, dict)))
            continue
        allowed = {str(v): v for v in spec["values"]}
        allowed.update({f"{v:g}": v for v in spec["values"] if isinstance(v, float)})
        if values[-1] in allowed:
            levers[key] = allowed[values[-1]]
        else:
            problems.append(f"{key}={values[-1]} is not allowed; choose one of "
                            + ", ".join(str(v) for v in spec["values"]))
    return levers, problems


def _welcome(seat, asked: str | None) -> str | None:
    """What a (re)loaded page says about the run it shows."""
    if seat is not None:
        return f"Welcome back, {seat.name}: your run continues at day {seat.model.day}."
    if asked:
        return (f"No run of {asked} was found in this browser (the app restarted, or this is "
                "another browser): a new run started. Type your name again.")
    return None


@solara.component
def StudentPage():
    """One student's run: their own model, the tiles, the levers and their name."""
    session = solara.get_session_id()
    router = solara.use_router()
    asked = student_in(router.search)
    linked, link_problems = solara.use_memo(lambda: levers_in(router.search), [])
    seat0 = solara.use_memo(lambda: CLASS.find(session, asked), [])
    first = solara.use_memo(lambda: seat0.model if seat0 else
                            ClassroomModel(**dict(DEFAULTS, **linked)), [])
    model = solara.use_reactive(first)
    seat, set_seat = solara.use_state(seat0)
    problem, set_problem = solara.use_state(None)
    params = solara.use_reactive({})
    play = solara.use_reactive(50)
    render = solara.use_reactive(1)
    threads = solara.use_reactive(False)  # Mesa's switch, kept off and out of sight
    welcome = solara.use_memo(lambda: _welcome(seat0, asked), [])

    def follow():  # Reset made a new model: the seat shows it, with the student's name
        if seat is not None:
            CLASS.follow(seat, model.value)
            model.value.student = seat.name

    solara.use_effect(follow, [model.value, seat])

    def sign_in(text):
        name, why = check_name(text)
        set_problem(why)
        if why:
            return
        new = CLASS.join(session, name, model.value)
        model.value.student = name
        set_seat(new)
        query = dict(urllib.parse.parse_qsl(router.search or ""), student=name)
        router.push(f"{router.path or '/'}?{urllib.parse.urlencode(query)}")
        force_update()

    solara.Title("Grey-zone classroom")  # the browser's tab
    with solara.AppBar():
        solara.AppBarTitle(TITLE)
    with solara.Sidebar(), solara.Column():
        with solara.Card("Your name"):
            solara.InputText("Your name (your teacher sees it)", value=seat.name if seat else "",
                             on_value=sign_in, continuous_update=False,
                             classes=["greyzone-name"])
            if problem:
                solara.Error(problem, dense=True, classes=["greyzone-name-problem"])
            elif seat is not None:
                solara.Text(f"Signed in as {seat.name}.", style={"font-size": "12px"})
            if welcome:
                solara.Info(welcome, dense=True, classes=["greyzone-welcome"])
            for line in link_problems:
                solara.Warning(line, dense=True, classes=["greyzone-link-problem"])
        with solara.Card("Controls"):
            solara.SliderInt("Pause between days when playing (ms)", value=play, min=1,
                             max=500, step=10)
            solara.SliderInt("Days per redraw (7: a week at a time)", value=render, min=1,
                             max=30, step=1)
            ModelController(model, model_parameters=params, play_interval=play,
                            render_interval=render, use_threads=threads)
        with solara.Card("Levers (they apply when you press Reset)"):
            ModelCreator(model, lever_params(seat0.model.levers if seat0 else first.levers),
                         model_parameters=params)
    ClassView(model.value)


@solara.component
def Layout(children=[]):  # noqa: B006 (Solara's signature)
    """Both pages: the app bar and sidebar, without Solara's route tabs (students need none)."""
    return solara.AppLayout(children=children, navigation=False)


routes = [solara.Route(path="/", component=StudentPage, label="Student", layout=Layout),
          solara.Route(path="teacher", component=TeacherPage, label="Teacher")]


def main(argv: list[str] | None = None) -> None:
    """``python -m sim.app``: check the address, then serve (``sim.ui.serve``)."""
    from sim.ui.serve import main as serve

    serve(argv)


if __name__ == "__main__":
    main()

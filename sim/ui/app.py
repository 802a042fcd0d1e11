"""The browser app: Mesa's SolaraViz with the sea map, levers, injects and live charts.

    python -m sim.app [--port N] [--host H]     (also ``make app``; default 127.0.0.1:8765)

Each browser session builds its own model (in ``Page``; never at import, where one model would
be shared by every session). One Mesa step of ``ClassroomModel`` is one simulated day (24
hourly steps of the engine). Levers in the sidebar apply when the user presses Reset, which
builds a new model with them; inject buttons fire an event at once in the running model.
This module is the page and its levers; the tiles are in ``sim.ui.panels``, the pictures in
``sim.ui.map_view`` and ``sim.ui.charts``.
"""

from __future__ import annotations

import os

os.environ["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"  # before Solara is imported

import solara  # noqa: E402
from mesa.visualization import SolaraViz  # noqa: E402
from mesa.visualization import solara_viz as _solara_viz  # noqa: E402

from sim.params import scenarios  # noqa: E402
# The model as the app drives it and firing an inject are also used without a browser (tests,
# notebooks): ``from sim.ui.app import ClassroomModel, fire_preset``.
from sim.ui.classroom import ClassroomModel  # noqa: E402
from sim.ui.injects import fire_preset  # noqa: E402,F401
from sim.ui.panels import (FishingChart, IncidentsChart, InjectPanel, MapView,  # noqa: E402
                           PostureView, PresenceChart)


def _select(label: str, value, values) -> dict:
    return {"type": "Select", "label": label, "value": value, "values": list(values)}


#: The levers in the sidebar (SolaraViz's "Model Parameters"): drop-downs, so that the value
#: chosen is always visible; they apply on Reset.
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
    """``python -m sim.app``: check the address, then serve (``sim.ui.serve``)."""
    from sim.ui.serve import main as serve

    serve(argv)


if __name__ == "__main__":
    main()

"""The project's colours: one set for the report, the sea map (``python -m sim.map``) and the
browser app, so that a colour means the same thing in every picture.

China is red and Vietnam blue everywhere; each other claimant has a colour of its own, and
Japan, whose programme the study weighs, is teal. On the map a State's zones are pale tints
of its colour; in the app its fishing boats are a lighter shade of it. Colours that mean
something in one figure only (a check passed or missed, one mechanism of Japan's programme)
stay with that figure.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgb

from sim.engine import ladder
from sim.params.scenarios import BASELINE, COMBINED, ENHANCED_COOPERATION, STRATEGIC_STABILIZATION

FLAGS = {
    "CHN": "#c0392b",  # red
    "VNM": "#1f5fa8",  # blue
    "PHL": "#7d3c98",  # purple
    "MYS": "#2e8b3e",  # green
    "BRN": "#b7950b",  # gold
    "IDN": "#8d6e63",  # brown
    "TWN": "#5d6d7e",  # slate
    "JPN": "#117a65",  # teal
}
NO_FLAG = "#333333"  # a feature nobody holds

LAND = "#c9bfa6"
WATER = "#eaf2f8"  # the sea where no zone is drawn (the app's map)
HIGH_SEAS = "#f7f9fc"  # the sea outside every modelled EEZ (the sea map)
HOTSPOT = "black"  # a hot spot's mark where its holder's colour is not shown (app, report)

# China's claim in dark reds of China's colour; its summer fishing ban in amber (its zone on
# the map, its season on the app's fishing chart and in the validation's months).
NINE_DASH = "#b03a2e"
CLAIM_EDGE = "#7b241c"
MORATORIUM = "#d68910"

#: Vessels by flag and type: a State's government ships in its colour, its fishing boats in a
#: lighter shade, China's militia in brown; Vietnam's Japanese-built patrol ships in Japan's.
VESSELS = {
    ("CHN", "coast_guard"): FLAGS["CHN"],
    ("CHN", "militia"): "#8e5a2b",
    ("CHN", "fishing"): "#f1948a",
    ("CHN", "rig"): "black",
    ("CHN", "survey"): "black",
    ("VNM", "coast_guard"): FLAGS["VNM"],
    ("VNM", "japanese_built"): FLAGS["JPN"],
    ("VNM", "fishing"): "#5dade2",
    ("VNM", "rig"): FLAGS["VNM"],
}

#: The ladder in pairs of rungs, light to dark as it climbs: (lowest, highest, colour).
RUNG_BANDS = (
    (ladder.PRESENCE, ladder.SHADOWING, "#f4d03f"),
    (ladder.CHALLENGE, ladder.BLOCKING, "#e67e22"),
    (ladder.WATER_CANNON, ladder.RAMMING, "#8e44ad"),
    (ladder.BOARDING, ladder.WEAPONS, "#17202a"),
)

#: Scenarios: (colour, marker), colour-blind safe (Okabe-Ito); never in a figure with flags.
SCENARIOS = {
    BASELINE: ("#555555", "^"),
    ENHANCED_COOPERATION: ("#D55E00", "o"),
    STRATEGIC_STABILIZATION: ("#0072B2", "s"),
    COMBINED: ("#009E73", "D"),
}
OTHER_SCENARIOS = ("#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
OTHER_MARKER = "v"


def flag(code: str | None) -> str:
    """The colour of a flag (a State's ISO code), or NO_FLAG."""
    return FLAGS.get(code or "", NO_FLAG)


def tint(colour: str, amount: float) -> np.ndarray:
    """``colour`` blended towards white (RGB): ``amount`` 1 is the colour, 0 white."""
    return 1 - amount * (1 - np.array(to_rgb(colour)))


def band_label(lo: int, hi: int) -> str:
    """A band's legend text: "4-5 water cannon, ramming"."""
    return f"{lo}-{hi} " + ", ".join(ladder.RUNGS[r].replace("_", " ") for r in range(lo, hi + 1))

"""``python -m sim.app``: the browser app (SolaraViz). The code lives in ``sim.ui.app``; this name is
kept for users' commands and scripts."""

from sim.ui.app import *  # noqa: F401,F403
from sim.ui.app import main

if __name__ == "__main__":
    raise SystemExit(main())

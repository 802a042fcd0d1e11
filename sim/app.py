"""``python -m sim.app``: the browser app (SolaraViz). The code lives in ``sim.ui.app``; this name is
kept for users' commands and scripts."""

if __name__ == "__main__":  # the address is checked before Solara is imported (sim.ui.serve)
    from sim.ui.serve import main

    raise SystemExit(main())

from sim.ui.app import *  # noqa: F401,F403,E402
from sim.ui.app import main  # noqa: E402

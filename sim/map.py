"""``python -m sim.map``: draw every layer of the sea. The code lives in ``sim.ui.map``; this name is
kept for users' commands and scripts."""

from sim.ui.map import *  # noqa: F401,F403
from sim.ui.map import main

if __name__ == "__main__":
    raise SystemExit(main())

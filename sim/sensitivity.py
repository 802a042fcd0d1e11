"""``python -m sim.sensitivity``: sensitivity analysis and scenario discovery. The code lives in ``sim.studies.sensitivity``; this name is
kept for users' commands and scripts."""

from sim.studies.sensitivity import *  # noqa: F401,F403
from sim.studies.sensitivity import main

if __name__ == "__main__":
    raise SystemExit(main())

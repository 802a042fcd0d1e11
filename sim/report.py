"""``python -m sim.report``: a sweep's report. The code lives in ``sim.studies.report``; this name is
kept for users' commands and scripts."""

from sim.studies.report import *  # noqa: F401,F403
from sim.studies.report import main

if __name__ == "__main__":
    raise SystemExit(main())

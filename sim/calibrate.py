"""``python -m sim.calibrate``: calibration by rejection ABC. The code lives in ``sim.studies.calibrate``; this name is
kept for users' commands and scripts."""

from sim.studies.calibrate import *  # noqa: F401,F403
from sim.studies.calibrate import main

if __name__ == "__main__":
    raise SystemExit(main())

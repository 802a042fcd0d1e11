"""``python -m sim.gather``: (re)build a sweep's results.parquet. The code lives in ``sim.sweeps.gather``; this name is
kept for users' commands and scripts."""

from sim.sweeps.gather import *  # noqa: F401,F403
from sim.sweeps.gather import main

if __name__ == "__main__":
    raise SystemExit(main())

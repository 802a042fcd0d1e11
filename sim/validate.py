"""``python -m sim.validate``: the validation against FACTS.md. The code lives in ``sim.studies.validate``; this name is
kept for users' commands and scripts."""

from sim.studies.validate import *  # noqa: F401,F403
from sim.studies.validate import main

if __name__ == "__main__":
    raise SystemExit(main())

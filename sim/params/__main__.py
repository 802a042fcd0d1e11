"""``python -m sim.params``: the parameter table as Markdown (docs/parameters.md)."""

import sys

from sim.base.cli import OneLineParser

from .docs import main

OneLineParser(prog="python -m sim.params", description=(
    "Print every parameter (key, default, unit, range, plausible range, meaning, source) as "
    "a Markdown table; it takes no arguments (> docs/parameters.md to write the file)."
              )).parse_args(sys.argv[1:])
main()

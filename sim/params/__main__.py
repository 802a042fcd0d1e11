"""``python -m sim.params``: the parameter table as Markdown (docs/parameters.md)."""

from .docs import main

main()

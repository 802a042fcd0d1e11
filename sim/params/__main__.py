"""``python -m sim.params``: the parameter table as Markdown (docs/parameters.md)."""

from .schema import main

main()

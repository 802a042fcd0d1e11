"""Figures and tables of a sweep's report (``python -m sim.report SWEEP_DIR``).

Plotting code reads only the sweep's files (``results.parquet``, each run's parquet tables
and ``.hydra/config.yaml``); the one model import is ``sim.build_sea`` for the coastline.

* ``palette``       the project's colours (flags, vessels, rungs, scenarios), for every picture
* ``kit``           making, styling, captioning and saving figures (no pyplot, no global style)
* ``sweep``         the sweep's data (``Sweep``) and how each scenario is drawn
* ``stats``         t-interval, Wilson interval, bootstrap, Mann-Whitney U, Cliff's delta
* ``rates``         incident rates and crisis probability against japan.capacity
* ``maps``          incident density on the sea
* ``sea_map``       every layer of a sea (``python -m sim.map``)
* ``distributions`` the escalation ladder and hot-spot presence by scenario
* ``compare``       Enhanced Cooperation minus Strategic Stabilization: table and figure
* ``mechanisms``    the single-mechanism study (configs/experiment/mechanisms.yaml)
"""

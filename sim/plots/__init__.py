"""The project's figures: a sweep's report (``python -m sim.report SWEEP_DIR``), the
validation and sensitivity pages, and the sea map (``python -m sim.map``); the app draws its
pictures with the same kit and palette.

Plotting code reads only files and what it is given (``results.parquet``, each run's parquet
tables and ``.hydra/config.yaml``, a ``Sea``); the one model import is ``sim.build_sea`` for
the coastline.

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
* ``validation``    the validation page (``python -m sim.validate``)
* ``sensitivity``   the sensitivity and scenario-discovery page (``python -m sim.sensitivity``)
"""

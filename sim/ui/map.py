"""``python -m sim.map [overrides]``: draw every layer of the configured sea to ``sea_map.png``
(and ``.svg``) in the run folder, with the radars Japan's programme would deliver.

The drawing is ``sim.plots.sea_map.draw_sea_map``; this module is the Hydra command.
"""

from __future__ import annotations

from pathlib import Path

from sim.plots.sea_map import draw_sea_map


def _japanese_stations(params):
    """The radar stations Japan's programme would deliver under this config (for the map)."""
    from sim.actors.japan import RADAR_SITES, Programme
    from sim.sea import RadarStation

    prog = Programme.from_config(params.japan)
    sites = RADAR_SITES.get(params.sea.name, [])[: prog.radars]
    return [RadarStation(f"{n} (Japan-funded)", "VNM", la, lo, params.japan.radar_range_km)
            for n, la, lo in sites]


def _hydra_app():
    import hydra
    from hydra.core.hydra_config import HydraConfig

    from sim.params.compose import CONFIG_DIR
    from sim.params import to_params
    from sim.sea import build_sea

    @hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")
    def app(cfg) -> None:
        params = to_params(cfg)
        out = Path(HydraConfig.get().runtime.output_dir) / "sea_map.png"
        extra = _japanese_stations(params)
        title = (f"{params.sea.name} sea at {params.sea.resolution}°"
                 + (f" with {len(extra)} Japanese-funded radars" if extra else ""))
        draw_sea_map(build_sea(params), out, title=title, extra_stations=extra or None)
        print(f"map: {out}")

    return app


def main() -> None:
    """``python -m sim.map [overrides]``: draw every layer of the chosen sea to sea_map.png."""
    import sys

    from sim.params.preflight import full_error, preflight

    if not full_error():
        problem = preflight(sys.argv[1:])
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            sys.exit(2)
    _hydra_app()()


if __name__ == "__main__":
    main()

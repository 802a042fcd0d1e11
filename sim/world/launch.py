"""The fleets at the start of a run: every hull in its home port (or outpost), and hulls
commissioned later (Japan's deliveries)."""

from __future__ import annotations

import numpy as np

from sim.engine.movement import PORT


def ports(model, flag: str, kinds=("port", "outpost")) -> np.ndarray:
    """Destination indices of ``flag``'s ports of the given kinds."""
    dst, first = model.dst, model.dst.of_kind(PORT)[0]
    return np.array([k for k in dst.of_kind(PORT) if dst.flag[k] == flag
                     and model.sea.ports[k - first].kind in kinds])


def configure_fleet(fleet, p) -> None:
    """What the fleet takes from the parameters before hulls are added: Chinese crews'
    proficiency (every cutter and militia trawler, inject escorts too) and the first-sortie
    spread."""
    fleet.crew_proficiency.update(cn_coast_guard=p.china.cg_proficiency,
                                  cn_militia=p.china.militia_proficiency)
    fleet.first_sortie_days = p.vessels.first_sortie_spread_days


def launch_fleets(model) -> None:
    """China's cutters from all its ports and outposts, its militia from the Spratly outposts,
    its fishing boats from home ports; Vietnam's ships and boats from its ports."""
    p, f, rng, cells = model.p, model.fleet, model.rng_policy, model.dst.cell
    configure_fleet(f, p)
    cn_all, vn_all = ports(model, "CHN"), ports(model, "VNM", ("port",))
    cn_out, cn_home = ports(model, "CHN", ("outpost",)), ports(model, "CHN", ("port",))
    spratly_out = np.array([k for k in cn_out if model.layers.spratly[cells[k]]]) \
        if cn_out.size else cn_out
    militia_home = spratly_out if spratly_out.size else cn_all
    fishing_home = cn_home if cn_home.size else cn_all
    spd = dict(steps_per_day=model.steps_per_day)
    f.add("cn_coast_guard", p.china.coast_guard, cn_all, cells[cn_all], rng, **spd)
    f.add("cn_militia", p.china.militia, militia_home, cells[militia_home], rng, **spd)
    f.add("cn_fishing", p.china.fishing, fishing_home, cells[fishing_home], rng, **spd)
    f.add("vn_coast_guard", p.vietnam.coast_guard, vn_all, cells[vn_all], rng,
          proficiency=p.vietnam.training, **spd)
    f.add("vn_fisheries_surveillance", p.vietnam.fisheries_surveillance, vn_all,
          cells[vn_all], rng, proficiency=p.vietnam.training, **spd)
    f.add("vn_fishing", p.vietnam.fishing, vn_all, cells[vn_all], rng, **spd)
    model.vn_home_ports = vn_all


def commission_japanese_hulls(model, count: int) -> None:
    """Japan-built patrol vessels join Vietnam's coast guard in its home ports, ready now."""
    vn, f = model.vn_home_ports, model.fleet
    f.add("vn_japan_built", count, vn, model.dst.cell[vn], model.rng_policy,
          proficiency=min(1.0, model.p.vietnam.training + model.p.vietnam.japan_built_bonus))
    f.port_until[f.n - count: f.n] = model.step_count

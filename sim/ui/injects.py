"""The app's inject buttons: the preset events of configs/inject/, fired at once in a running
model (at the preset's hot spot, or one the user picks)."""

from __future__ import annotations

import contextlib
from functools import lru_cache

from sim.params import HOTSPOT_INJECTS
from sim.params.compose import CONFIG_DIR

INJECT_DIR = CONFIG_DIR / "inject"
INJECT_LABELS = {  # button text for each preset file in configs/inject/
    "hysy981": "Oil rig + escort (HYSY-981, 2014)",
    "haiyang_dizhi_8": "Survey ship (Haiyang Dizhi 8, 2019)",
    "whitsun_swarm": "Militia swarm (Whitsun Reef, 2021)",
    "vanguard_drilling": "Vietnam drills (Vanguard Bank)",
    "hotline": "Hotline agreed (Second Thomas, 2024)",
    "japan_delivery": "Japan hands over patrol vessels",
}
PLACED = HOTSPOT_INJECTS  # kinds that happen at a hot spot


@lru_cache(maxsize=1)
def inject_presets() -> dict[str, dict]:
    """The inject files of configs/inject/ (name -> kind, hotspot, duration, size, escort)."""
    import dataclasses

    from sim.params.compose import inject_file

    out = {}
    for name in INJECT_LABELS:
        if (INJECT_DIR / f"{name}.yaml").exists():
            events = inject_file(name)
            if events:
                out[name] = dataclasses.asdict(events[0])
    return out


def fire_preset(model, name: str, where: str | None = None):
    """Fire one of the preset injects now, at ``where`` (a hot spot slug) or where the preset
    says (or, if that hot spot is not on this sea, the first hot spot of the sea)."""
    e = dict(inject_presets()[name])
    slugs = model.sea.hotspot_slugs
    spot = where if where in slugs else e.get("hotspot")
    if e["kind"] in PLACED and spot not in slugs:
        spot = slugs[0]
    with getattr(model, "lock", contextlib.nullcontext()):
        return model.injects.fire(e["kind"], spot, e.get("duration_days", 30),
                                  e.get("size", 1), e.get("escort", 0))

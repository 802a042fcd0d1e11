"""Named areas of each sea (lat0, lat1, lon0, lon1), used by layers and the sea builders."""

from __future__ import annotations

#: The Spratly area, where China's militia mass (FACTS §1). ``None``: the whole sea (the toy
#: sea's reefs stand for the Spratlys).
SPRATLY_BOX = {"scs": (7.0, 12.5, 111.0, 116.5), "toy": None}

"""Geography: the gridded sea the model runs on (see grid.Sea for the layers).

Building the real sea (the 30'' mask aggregated, great-circle distances to every coast) takes
about a third of a second, and the route fields built on it (``sim.movement.destinations``)
half a second more. Both are pure functions of committed files (the data in ``sea/data`` and
the code that derives from it), so a process keeps them on disk, under a key that hashes the
contents of those files, the arguments and the library versions: any change to any of them
gives a new key, so a stale result is never read (``disk_cached``). ``GREYZONE_CACHE=off``
turns the disk cache off; ``GREYZONE_CACHE=DIR`` moves it (default
``$XDG_CACHE_HOME/greyzone-sim``, else ``~/.cache/greyzone-sim``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from sim.base.atomic import write_atomic
from sim.sea.grid import STATES, Feature, Port, RadarStation, Sea, haversine_km

__all__ = ["STATES", "Feature", "Port", "RadarStation", "Sea", "build_sea", "haversine_km",
           "disk_cached", "npz_memmap"]

HERE = Path(__file__).resolve().parent
CACHE_FORMAT = 2  # bump when the layout of the cached files changes


@lru_cache(maxsize=8)
def _build(name: str, resolution: float, spratly_treatment: str) -> Sea:
    if name == "toy":
        return disk_cached("sea", (name, repr(resolution)), lambda: _toy(resolution),
                           _save_sea, _load_sea, sources=("grid.py", "toy.py"),
                           label=f"{name}-{resolution:g}")
    if name == "scs":
        return disk_cached("sea", (name, repr(resolution), spratly_treatment),
                           lambda: _scs(resolution, spratly_treatment), _save_sea, _load_sea,
                           sources=("grid.py", "scs.py", "data"),
                           label=f"{name}-{resolution:g}-{spratly_treatment}")
    raise ValueError(f"sea.name={name!r} is unknown; choose scs or toy")


def _toy(resolution: float) -> Sea:
    from sim.sea.toy import build_toy

    return build_toy(resolution)


def _scs(resolution: float, spratly_treatment: str) -> Sea:
    from sim.sea.scs import build_scs  # (imports shapely and scipy: only when building)

    return build_scs(resolution, spratly_treatment)


def build_sea(cfg) -> Sea:
    """The sea for a config (a full config, its ``sea`` node, or a typed SeaConfig).

    Cached per process: a sweep worker builds each sea once. Treat the result as read-only.
    """
    sea_cfg = getattr(cfg, "sea", cfg)
    return _build(str(sea_cfg.name), float(sea_cfg.resolution),
                  str(getattr(sea_cfg, "spratly_treatment", "award")))


# --------------------------------------------------------------------------- the disk cache
def cache_dir() -> Path | None:
    """Folder of the disk cache, or None if it is turned off (``GREYZONE_CACHE=off``)."""
    env = os.environ.get("GREYZONE_CACHE")
    if env is not None and env.strip().lower() in ("", "0", "off", "false", "no", "none"):
        return None
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "greyzone-sim"


@lru_cache(maxsize=16)
def _files_digest(paths: tuple[str, ...]) -> str:
    """SHA-256 over the contents of files (and of every file under folders), by name."""
    h = hashlib.sha256()
    for p in paths:
        p = Path(p)
        files = sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p]
        for f in files:
            if "__pycache__" in f.parts:
                continue
            h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


@lru_cache(maxsize=1)
def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for pkg in ("numpy", "scipy", "shapely"):
        try:
            out.append(f"{pkg}={version(pkg)}")
        except PackageNotFoundError:
            out.append(f"{pkg}=?")
    return ",".join(out)


def content_key(kind: str, args: tuple, sources: tuple[str | Path, ...]) -> str:
    """The cache key: a hash of what is built, its arguments, the contents of the files it is
    derived from (paths relative to this folder or absolute), and library versions."""
    paths = tuple(str(p if Path(p).is_absolute() else HERE / p) for p in sources)
    h = hashlib.sha256(json.dumps([CACHE_FORMAT, kind, [str(a) for a in args],
                                   _files_digest(paths), _versions()]).encode())
    return h.hexdigest()[:32]


def disk_cached(kind: str, args: tuple, build, save, load, sources=(), label: str = ""):
    """``build()``, or its result from the disk cache if the same key was built before.

    ``save(obj, file)`` writes to an open binary file and ``load(file)`` reads it back. Files are
    written to a temporary name and renamed, so concurrent processes (a sweep's workers) never
    read half a file; a file that cannot be read is rebuilt and replaced. Writing a file removes
    the files of the same ``kind`` and ``label`` made from other inputs (older code or data), so
    that the cache does not grow with every change."""
    folder = cache_dir()
    if folder is None:
        return build()
    stem = f"{kind}-{label}-" if label else f"{kind}-"
    path = folder / f"{stem}{content_key(kind, args, sources)}.npz"
    if path.exists():
        try:
            with open(path, "rb") as fh:
                return load(fh)
        except Exception:  # noqa: BLE001 - unreadable or from an old layout: rebuild it
            pass
    obj = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(path, lambda tmp: _save_to(tmp, save, obj), fsync=False)
        if label:
            for old in folder.glob(f"{stem}*.npz"):
                if old != path:
                    old.unlink(missing_ok=True)
    except OSError:  # a read-only home, a full disk: run without the cache
        pass
    return obj


def _save_to(tmp: str, save, obj) -> None:
    with open(tmp, "wb") as fh:
        save(obj, fh)


def npz_memmap(path, key: str) -> np.ndarray:
    """Array ``key`` of an uncompressed ``.npz`` (``np.savez``) as a copy-on-write memory map.

    The map stays valid if the file is later replaced or removed (the cache's clean-up). Mode
    "c" keeps the array writable in type, so numba sees the same array type as for a freshly
    built table and compiles (and caches) its kernels once; nothing writes to it."""
    import zipfile

    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(f"{key}.npy")
        if info.compress_type != zipfile.ZIP_STORED:
            raise ValueError(f"{path}: {key} is compressed; cannot map it")
        with open(path, "rb") as fh:
            # The member's data starts after its local header (30 bytes + name + extra field).
            fh.seek(info.header_offset + 26)
            name_len, extra_len = np.frombuffer(fh.read(4), "<u2")
            start = info.header_offset + 30 + int(name_len) + int(extra_len)
            fh.seek(start)
            fmt = np.lib.format
            read_header = {(1, 0): fmt.read_array_header_1_0,
                           (2, 0): fmt.read_array_header_2_0}[fmt.read_magic(fh)]
            shape, fortran, dtype = read_header(fh)
            offset = fh.tell()
    # A plain ndarray view of the map (the map lives on as its base): numba types it as any array.
    return np.asarray(np.memmap(path, dtype=dtype, mode="c", offset=offset, shape=shape,
                                order="F" if fortran else "C"))


_SEA_ARRAYS = ("lat", "lon", "land", "eez", "entitlement", "claim_area", "territorial_sea",
               "moratorium_zone", "fishing_ground", "feature_cell")


def _save_sea(sea: Sea, fh) -> None:
    meta = dict(name=sea.name, resolution=sea.resolution, notes=sea.notes,
                features=[dataclasses.asdict(x) for x in sea.features],
                ports=[dataclasses.asdict(x) for x in sea.ports],
                radar_stations=[dataclasses.asdict(x) for x in sea.radar_stations])
    np.savez(fh, meta=np.frombuffer(json.dumps(meta).encode(), np.uint8),
             **{k: getattr(sea, k) for k in _SEA_ARRAYS})


def _load_sea(fh) -> Sea:
    with np.load(fh) as z:
        meta = json.loads(z["meta"].tobytes().decode())
        arrays = {k: z[k] for k in _SEA_ARRAYS}
    return Sea(name=meta["name"], resolution=meta["resolution"], notes=meta["notes"],
               features=[Feature(**x) for x in meta["features"]],
               ports=[Port(**x) for x in meta["ports"]],
               radar_stations=[RadarStation(**x) for x in meta["radar_stations"]], **arrays)

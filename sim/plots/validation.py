"""Figures and the Markdown page of the validation report (sim.validate)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from sim.engine.ladder import SEVERE
from sim.plots import palette
from sim.plots.kit import add_caption, save, styled, subplots, write_page

HYSY_DAY, HOTLINE_DAY = 121, 180


def _save(fig, img: Path, name: str) -> str:
    """Save PNG + SVG (kit.save) and return the PNG's path relative to the report."""
    save(fig, img, name)
    return f"img/{name}.png"


def _band(ax, frames: list[pd.Series], colour: str, label: str) -> None:
    m = pd.concat(frames, axis=1)
    ax.fill_between(m.index, m.quantile(0.05, axis=1), m.quantile(0.95, axis=1), color=colour,
                    alpha=0.25, lw=0)
    ax.plot(m.index, m.median(axis=1), color=colour, lw=1.5, label=label)


@styled
def fig_checks(table, values, checks, img, caption) -> str:
    n = len(checks)
    fig, axes = subplots(n, 1, figsize=(9, 0.62 * n + 1.2))
    for ax, c, row in zip(axes, checks, table.itertuples()):
        v = values.get(c.key, np.array([]))
        v = v[np.isfinite(v)]
        hi = c.hi if np.isfinite(c.hi) else max(c.lo * 2, float(v.max()) * 1.2 if v.size else 1)
        ax.axvspan(c.lo, hi, color="#009E73", alpha=0.15, lw=0)
        if v.size:
            ax.plot(v, np.zeros_like(v), "|", color="#555555", ms=8, alpha=0.6)
        if np.isfinite(row.value):
            colour = "#0072B2" if row.verdict == "pass" else "#D55E00"
            ci_hi = min(row.ci_hi, hi + 0.1 * (hi - c.lo + 1e-9))
            ax.plot([row.ci_lo, ci_hi], [0, 0], "-", color=colour, lw=2.5, alpha=0.6)
            ax.plot([row.value], [0], "o", color=colour, ms=7)
        ax.set_yticks([])
        ax.set_title(f"{c.name}  [{c.unit}]", fontsize=8, loc="left", pad=2)
        ax.grid(axis="y", visible=False)
        ax.tick_params(labelsize=7)
        lo = min(c.lo, float(v.min()) if v.size else c.lo)
        ax.set_xlim(lo - 0.1 * (hi - lo + 1e-9), hi + 0.1 * (hi - lo + 1e-9))
    fig.suptitle("Validation: model runs (ticks), the check's figure with its 95 % interval "
                 "(blue pass, orange miss) and the tolerance (green)", fontsize=10)
    fig.tight_layout(rect=(0, 0.04, 1, 0.97))
    add_caption(fig, caption)
    return _save(fig, img, "validation_checks")


#: Two hot spots' lines, in colours that are neither China's nor Vietnam's (both lines count
#: Chinese ships).
HOTSPOT_LINES = (("paracels", "#E69F00"), ("vanguard_bank", "#CC79A7"))
ARRANGEMENT = "#009E73"  # runs with the agreed arrangement (the hotline inject)


def _figure(img: Path, name: str, caption: str, draw, height: float = 3.4) -> str:
    """One time-series figure: ``draw(ax)``, the caption, PNG + SVG."""
    fig, ax = subplots(figsize=(9, height))
    draw(ax)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    add_caption(fig, caption)
    return _save(fig, img, name)


def _presence(ax, base: list[dict]) -> None:
    """Chinese coast-guard presence by month at two hot spots, with severe-weather days."""
    for slug, colour in HOTSPOT_LINES:
        frames = []
        for r in base:
            h = r["hotspots"][r["hotspots"]["hotspot"] == slug].set_index("date")
            frames.append((h["cn_coast_guard"] > 0).astype(float).resample("MS").mean())
        _band(ax, frames, colour, slug.replace("_", " ").title())
    sev = pd.concat([(r["daily"].set_index("date")["sea_state_north"] >= 2).astype(float)
                     .resample("MS").mean() for r in base], axis=1).median(axis=1)
    ax.bar(sev.index, sev.values, width=20, color="#999999", alpha=0.5,
           label="share of severe-weather days (north)")
    ax.set_ylabel("fraction of days"), ax.set_ylim(0, 1.05), ax.legend(fontsize=8, loc="lower left")
    ax.set_title("Chinese coast-guard presence by month (≥1 cutter within 12 nm)")


def _militia(ax, base: list[dict]) -> None:
    """Militia mass in the Spratlys against AMTI's counts."""
    _band(ax, [r["daily"].set_index("date")["cn_militia_spratlys"] for r in base],
          palette.VESSELS[("CHN", "militia")], "model: median and 90 % band across seeds")
    ax.axhspan(150, 300, color="#009E73", alpha=0.15, label="AMTI: 195/day (2023) – ~300 (2021)")
    ax.set_ylabel("militia vessels in the Spratlys"), ax.legend(fontsize=8)
    ax.set_title("Chinese maritime militia in the Spratly area, daily census at noon")


def _moratorium(ax, base: list[dict]) -> None:
    """Chinese-initiated incidents against fishing boats in the north, by month."""
    start = pd.Timestamp(base[0]["daily"]["date"].iloc[0])
    frames = []
    for r in base:
        inc = r["incidents"]
        sel = inc[(inc["initiator_flag"] == "CHN") & (inc["target_type"] == "fishing")
                  & (inc["lat"] >= 12.0)]
        frames.append(sel.groupby(sel["day"] // 30.44).size().reindex(range(12), fill_value=0))
    med = pd.concat(frames, axis=1).median(axis=1)
    months = [(start + pd.DateOffset(months=k)).strftime("%b") for k in range(12)]
    colours = [palette.MORATORIUM if m in ("May", "Jun", "Jul", "Aug") else "#999999"
               for m in months]
    ax.bar(months, med.values, color=colours)
    ax.set_ylabel("incidents per month (median)")
    ax.set_title("Chinese-initiated incidents against fishing boats north of 12°N "
                 "(amber: moratorium months)")


def _hysy(ax, runs: list[dict]) -> None:
    """The HYSY-981-like stand-off: both sides' ships near the rig."""
    frames = []
    for r in runs:
        h = r["hotspots"][r["hotspots"]["hotspot"] == "paracels"].set_index("day")
        frames.append(h["cn_coast_guard"] + h["cn_militia"])
    _band(ax, frames, palette.flag("CHN"), "Chinese cutters + militia within 12 nm (distinct/day)")
    frames = [r["hotspots"][r["hotspots"]["hotspot"] == "paracels"].set_index("day")
              ["vn_government"] for r in runs]
    _band(ax, frames, palette.flag("VNM"), "Vietnamese government ships within 12 nm")
    ax.axvspan(HYSY_DAY, HYSY_DAY + 75, color="#999999", alpha=0.2, label="rig on station")
    ax.set_xlim(HYSY_DAY - 40, HYSY_DAY + 110), ax.set_xlabel("day of the run")
    ax.set_ylabel("ships"), ax.legend(fontsize=8)
    ax.set_title("A HYSY-981-like stand-off at the Paracels (inject from 2 May)")


def _hotline(ax, runs: dict) -> None:
    """Severe incidents with and without the agreed arrangement, seed by seed."""
    for name, colour, label in (("base", "#555555", "no arrangement"),
                                ("hotline", ARRANGEMENT, "arrangement from day 180")):
        frames = [(r["incidents"]["rung"] >= SEVERE).groupby(r["incidents"]["day"]).sum()
                  .reindex(range(len(r["daily"])), fill_value=0).cumsum()
                  for r in runs[name]]
        _band(ax, frames, colour, label)
    ax.axvline(HOTLINE_DAY, color="#000000", lw=0.8, ls="--")
    ax.set_xlabel("day of the run"), ax.set_ylabel("severe incidents, cumulative")
    ax.legend(fontsize=8)
    ax.set_title("An agreed arrangement (hotline / incident code) takes effect on day 180")


@styled
def fig_series(runs, img, caption) -> list[str]:
    base = runs["base"]
    out = [_figure(img, "validation_presence", caption, lambda ax: _presence(ax, base), 3.6),
           _figure(img, "validation_militia", caption, lambda ax: _militia(ax, base)),
           _figure(img, "validation_moratorium", caption, lambda ax: _moratorium(ax, base))]
    if runs.get("hysy"):
        out.append(_figure(img, "validation_hysy981", caption, lambda ax: _hysy(ax, runs["hysy"])))
    if runs.get("hotline"):
        out.append(_figure(img, "validation_hotline", caption, lambda ax: _hotline(ax, runs)))
    return out


def _fmt(x: float) -> str:
    return "–" if not np.isfinite(x) else (f"{x:.2f}" if abs(x) < 100 else f"{x:.0f}")


def _intro(table, meta) -> list[str]:
    passed = int((table["verdict"] == "pass").sum())
    return [
        "# Validation: the baseline against the real record",
        "",
        f"Generated by `make validate` (`python -m sim.validate --seeds {meta['seeds']} --days "
        f"{meta['days']}`) in {meta['seconds']:.0f} s: the baseline scenario over "
        f"{meta['seeds']} seeds, the same seeds with a HYSY-981-like rig inject "
        f"(`+inject=hysy981`) and with an agreed arrangement from day {HOTLINE_DAY} "
        "(`+inject=hotline`, paired with the baseline seed by seed: common random numbers). "
        "Real values are from FACTS.md with its reliability marks (A official, B research "
        "organisation, C one party's claim). The model's figure is the median across seeds "
        "(pooled over run-years for a rare count, pooled over seeds for a paired ratio or a share "
        "of runs) with its "
        "95 % interval and the seeds' 5th–95th percentile (`sim/studies/verdicts.py`). Each "
        "tolerance was derived from the real figure and its reliability mark before the model "
        "was run (below). A verdict is *clear* when the whole interval lies on its side of the "
        "tolerance. The expected verdicts are in `sim/studies/expected_verdicts.yaml`; "
        "`make validate` fails when a verdict differs clearly from them. The calibration "
        "targets (docs/calibration.md) are not validation checks: their fit across these seeds "
        "is shown apart, without a verdict (docs/ODD.md §9.2).",
        "",
        f"**{passed} of {len(table)} checks pass; "
        f"{int((table['verdict'] == table['expected']).sum())} of {len(table)} verdicts as "
        "expected.**",
        "",
    ]


def _checks_table(table, checks) -> list[str]:
    lines = ["| check | source (reliability) | real | model (95 % interval; seeds 5–95 %) | "
             "tolerance | verdict | expected |", "|---|---|---|---|---|---|---|"]
    for c, row in zip(checks, table.itertuples()):
        clear = "clear" if row.clear else "borderline"
        if row.coverage < 0.95:  # few seeds: the order-statistic interval covers less
            clear += f"; interval covers {row.coverage:.0%}"
        lines.append(f"| {c.name} ({c.unit}) | {c.source} | {c.real} | {_fmt(row.value)} "
                     f"({_fmt(row.ci_lo)}–{_fmt(row.ci_hi)}; {_fmt(row.lo5)}–{_fmt(row.hi95)}) "
                     f"| {row.tolerance} | **{row.verdict}** ({clear}) | {row.expected} |")
    lines += ["", "## How each tolerance was chosen", ""]
    return lines + [f"- *{c.name}*: {c.why}." for c in checks]


def _misses(table, expected) -> list[str]:
    misses = table[table["verdict"] == "miss"]
    lines = ["", "## Misses", ""]
    if misses.empty:
        return lines + ["None at this size. Checks are patterns and orders of magnitude; "
                        "passing them does not make the model a forecast."]
    lines += ["Each miss with its reason (the expected ones from "
              "`sim/studies/expected_verdicts.yaml`, stated before this run):", ""]
    for row in misses.itertuples():
        reason = expected.get(row.key, {}).get("reason") or MISS_NOTES.get(
            row.key, "Not expected: see docs/ODD.md, Calibration.")
        tag = "expected" if row.expected == "miss" else "**not expected**"
        lines.append(f"- **{row.check}** ({tag}): model {_fmt(row.value)}. {reason.strip()}")
    return lines


def _outside_real_range(table, checks) -> list[str]:
    """Checks that pass their tolerance with a median outside the real value or range."""
    off = [(c, row) for c, row in zip(checks, table.itertuples())
           if row.verdict == "pass" and not c.real_lo <= row.value <= c.real_hi]
    lines = ["", "## Within tolerance, outside the real value", ""]
    if not off:
        return lines + ["None: every median also lies inside the real value or range."]
    lines += ["These checks pass their tolerance, but the model's median lies outside "
              "the real value or range itself:", ""]
    for c, row in off:
        rng = f"{c.real_lo:g}–{c.real_hi:g}"
        lines.append(f"- **{c.name}**: model {_fmt(row.value)} against a real {rng} "
                     f"{c.unit}. " + (c.off[0].upper() + c.off[1:] + "." if c.off else ""))
    return lines


def _unjudged(shown: dict | None) -> list[str]:
    """The calibration targets across the validation seeds, and figures without a record."""
    shown = shown or {}
    lines = []
    for key, title, text in (
            ("fit", "Calibration targets across the validation seeds (not validation)",
             "The calibration (docs/calibration.md) fitted parameters to these figures, so they "
             "cannot validate the model; they are shown to see whether the fit, made at seed 0, "
             "holds across seeds."),
            ("reported", "Figures without a record (no check)",
             "The model's figure beside what FACTS.md says; FACTS.md gives no count, so there "
             "is no tolerance and no verdict.")):
        if key not in shown:
            continue
        items, rows = shown[key]
        lines += ["", f"## {title}", "", text, "",
                  "| figure | source (reliability) | real | model (95 % interval; seeds 5–95 %) |",
                  "|---|---|---|---|"]
        for c, row in zip(items, rows.itertuples()):
            lines.append(f"| {c.name} ({c.unit}) | {c.source} | {c.real} | {_fmt(row.value)} "
                         f"({_fmt(row.ci_lo)}–{_fmt(row.ci_hi)}; {_fmt(row.lo5)}–"
                         f"{_fmt(row.hi95)}) |")
    return lines


def write_report(out: Path, table, values, runs, checks, meta, expected=None,
                 shown: dict | None = None) -> Path:
    import sim

    out.mkdir(parents=True, exist_ok=True)
    img = out / "img"
    caption = (f"greyzone-sim {sim.__version__}, baseline scenario, {meta['seeds']} seeds × "
               f"{meta['days']} days; made by `python -m sim.validate` on "
               f"{dt.date.today().isoformat()}. Real figures: FACTS.md (shared brief).")
    figs = [fig_checks(table, values, checks, img, caption)] + fig_series(runs, img, caption)
    expected = expected or {}
    if "expected" not in table:
        table = table.assign(expected=[expected.get(k, {}).get("verdict", "–")
                                       for k in table["key"]])
    lines = (_intro(table, meta) + _checks_table(table, checks) + _misses(table, expected)
             + _outside_real_range(table, checks) + _unjudged(shown))
    return write_page(out / "validation.md", lines, figs)


#: Why a check may miss, stated in advance (used when it does).
MISS_NOTES = {
    "weather_gaps": "Gaps also come from rotations (endurance, port calls) when few cutters "
    "are assigned to a spot; weather is one cause among several in the model.",
    "hysy_lasting": "China's posture decays once the inject's stakes are in place for weeks; "
    "the escort is held for the whole inject, but free cutters drift back to other spots.",
}

"""Charts drawn in the browser: a Vega-Lite widget whose spec is sent once and whose data is
updated in place.

Why not ``solara.FigureAltair``: it asks for ``vega@5`` from Solara's CDN proxy, which offline
finds nothing (solara-assets holds only versioned folders, e.g. ``vega@5.21.0``), and it re-embeds
the whole chart on every change. This widget loads the versioned files that solara-assets
installed, embeds the spec once, and on each step replaces only the named datasets
(``view.data(name, rows)``): the server sends a few kilobytes of columns, the browser redraws.
Columns travel as ``{column: [values]}`` (smaller to encode than a list of row objects) and
become rows in the browser.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import ipyvuetify as v
import traitlets

#: The libraries' folders under Solara's CDN path, without version (found in ``_assets``).
LIBRARIES = ("vega", "vega-lite", "vega-embed", "requirejs")
_FALLBACK = {"vega": "vega@5", "vega-lite": "vega-lite@5", "vega-embed": "vega-embed@6",
             "requirejs": "requirejs@2.3.6"}


@lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    """Versioned folder of each library in solara-assets (e.g. vega -> vega@5.21.0)."""
    from solara.server.settings import assets  # where the server serves _solara/cdn from

    found = dict(_FALLBACK)
    for lib in LIBRARIES:
        hits = sorted(p.name for p in Path(assets.proxy_cache_dir).glob(f"{lib}@*")
                      if p.is_dir() and p.name.split("@", 1)[1][:1].isdigit())
        if hits:
            found[lib] = hits[-1]
    return found


TEMPLATE = """
<template><div :class="css_class"><div ref="plot"></div></div></template>
<script>
module.exports = {
  mounted() { this.embed(); },
  watch: { spec() { this.embed(); }, datasets() { this.update(); } },
  methods: {
    rows(cols) {
      const keys = Object.keys(cols), n = keys.length ? cols[keys[0]].length : 0, out = [];
      for (let i = 0; i < n; i++) { const r = {}; for (const k of keys) r[k] = cols[k][i];
        out.push(r); }
      return out;
    },
    async libs() {
      if (!window.requirejs) {
        await new Promise((ok, fail) => { const s = document.createElement('script');
          s.src = this.cdn + '/' + this.paths.requirejs + '/require.js'; s.onload = ok;
          s.onerror = fail; document.head.appendChild(s); });
      }
      const p = (lib, file) => this.cdn + '/' + this.paths[lib] + '/build/' + file;
      window.requirejs.config({ map: { '*': { 'greyzone-vega': p('vega', 'vega.min.js'),
        'greyzone-vega-lite': p('vega-lite', 'vega-lite.min.js'),
        'greyzone-vega-embed': p('vega-embed', 'vega-embed.min.js'),
        'vega': p('vega', 'vega.min.js'), 'vega-lite': p('vega-lite', 'vega-lite.min.js') } } });
      return new Promise((ok, fail) => window.requirejs(
        ['greyzone-vega', 'greyzone-vega-lite', 'greyzone-vega-embed'],
        (vega, vl, embed) => ok(embed), fail));
    },
    async embed() {
      try {
        const embed = await this.libs();
        const spec = JSON.parse(JSON.stringify(this.spec));
        const res = await embed(this.$refs.plot, spec, { renderer: 'canvas', actions: false });
        this.view = res.view;
        this.update();
      } catch (e) { this.$refs.plot.innerText = 'chart failed to load: ' + e; }
    },
    update() {
      if (!this.view) return;
      for (const [name, cols] of Object.entries(this.datasets)) this.view.data(name, this.rows(cols));
      this.view.runAsync();
    },
  },
  computed: {
    cdn() { return (window.solara && window.solara.cdn) || './_solara/cdn'; },
  },
}
</script>
"""


class VegaChart(v.VuetifyTemplate):
    """A Vega-Lite chart: ``spec`` once, ``datasets`` ({name: {column: values}}) per step."""

    template = traitlets.Unicode(TEMPLATE).tag(sync=True)
    spec = traitlets.Dict().tag(sync=True)
    datasets = traitlets.Dict().tag(sync=True)  # not "data": ipyvue reserves it
    paths = traitlets.Dict().tag(sync=True)
    css_class = traitlets.Unicode("").tag(sync=True)

    @traitlets.default("paths")
    def _paths(self):
        return _assets()


def chart(spec: dict, data: dict, name: str):
    """The chart as a Solara element (CSS class ``greyzone-NAME``: the browser test finds it)."""
    return VegaChart.element(spec=spec, datasets=data, css_class=f"greyzone-{name}")

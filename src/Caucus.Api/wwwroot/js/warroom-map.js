// The election's counties, coloured by each county's leader. The shapes come pre-projected from
// GET /api/v1/election/map (the election folder's county outlines, written from us-atlas by web/prepare.mjs),
// so no map library runs here and any state draws the same way.
import { el, replace, svg, byId } from "./dom.js";
import { colourOf, tieColour } from "./colours.js";
import { formatUnit } from "./warroom-charts.js";

export class CountyMap {
  /**
   * unit: the headline unit's abbreviation (election.headline), for the tooltip. byVote: the headline is statewide only
   * (election.headline.statewide), so a county is coloured by its vote leader and shows votes, never a delegate count.
   */
  constructor(wrap, tooltip, table, legend, candidates, unit, byVote = false) {
    this.unit = unit;
    this.byVote = byVote;
    this.value = byVote ? (c) => c.finalAlignment : (c) => Number(c.sde);
    this.wrap = wrap;
    this.tooltip = tooltip;
    this.table = table;
    this.legend = legend;
    this.candidates = candidates;
    this.paths = new Map();
    this.results = new Map();
  }

  async load() {
    // "no-cache": revalidated with its ETag, so the outlines cross the network once per browser, not per visit.
    const response = await fetch("/api/v1/election/map", { cache: "no-cache", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error((await response.json().catch(() => null))?.title ?? `HTTP ${response.status}`);
    const data = await response.json();
    const map = svg("svg", {
      viewBox: `0 0 ${data.width} ${data.height}`, class: "map", role: "img",
      "aria-label": `Map of the ${data.counties.length} counties of the ${data.election}, coloured by leader (the table below lists them)`,
    });
    for (const county of data.counties) {
      const path = svg("path", { d: county.path, "data-county": county.name, "data-fips": county.fips });
      path.addEventListener("mousemove", (event) => this.showTooltip(county.name, event));
      path.addEventListener("mouseleave", () => (this.tooltip.hidden = true));
      map.append(path);
      this.paths.set(county.name, path);
    }
    byId("map-loading")?.remove();
    this.wrap.prepend(map);
    this.svg = map;
  }

  get counties() {
    return [...this.paths.keys()];
  }

  update(county, results) {
    this.results.set(county, results);
    const path = this.paths.get(county);
    if (!path) return;
    const leader = leaderOf(results, this.value);
    path.style.setProperty("fill", leader === null ? "" : leader === "tie" ? tieColour : colourOf(leader, this.candidates));
    // What is left shows on the map as paleness: a county fully in is solid, one barely started faint (never below
    // 35%, so its leader's colour can still be told).
    const { reporting, total } = results.precincts;
    path.style.setProperty("fill-opacity", String(total > 0 ? 0.35 + (0.65 * reporting) / total : 1));
    path.dataset.leader = leader ?? "";
    path.dataset.left = String(total - reporting);
  }

  /** The legend and the accessible table, redrawn after a batch of updates. */
  redraw() {
    const leaders = new Set([...this.results.values()].map((r) => leaderOf(r, this.value)).filter((l) => l && l !== "tie"));
    const items = [...leaders].sort().map((name) => {
      const item = el("li", {}, name);
      item.style.setProperty("--colour", colourOf(name, this.candidates));
      return item;
    });
    const tie = el("li", {}, "tied");
    tie.style.setProperty("--colour", tieColour);
    const none = el("li", {}, "no report yet");
    none.style.setProperty("--colour", "#d5dbe2");
    const pale = el("li", { class: "pale" }, "paler: more precincts left");
    pale.style.setProperty("--colour", "#8a94a3");
    replace(this.legend, items, tie, none, pale);
    replace(this.table.tBodies[0], this.counties.map((county) => {
      const r = this.results.get(county);
      const leader = leaderOf(r, this.value);
      const top = r ? [...r.candidates].sort((a, b) => this.value(b) - this.value(a))[0] : null;
      return el("tr", {},
        el("th", { scope: "row" }, county),
        el("td", {}, leader === null ? "—" : leader === "tie" ? "tied" : leader),
        el("td", { class: "num" }, !leader ? "—" : this.byVote ? top.finalAlignment.toLocaleString() : formatUnit(top.sde)),
        el("td", { class: "num" }, r ? `${r.precincts.reporting} of ${r.precincts.total}` : "—"),
        el("td", { class: "num" }, r ? String(r.precincts.total - r.precincts.reporting) : "—"));
    }));
  }

  showTooltip(county, event) {
    const r = this.results.get(county);
    const lines = [el("strong", {}, county)];
    if (!r || r.precincts.reporting === 0) lines.push(el("br"), r ? `0 of ${r.precincts.total} precincts reporting` : "no report yet");
    else {
      lines.push(el("br"), `${r.precincts.reporting} of ${r.precincts.total} precincts reporting, ${r.precincts.total - r.precincts.reporting} left`);
      for (const c of [...r.candidates].filter((c) => this.value(c) > 0).sort((a, b) => this.value(b) - this.value(a)).slice(0, 4)) {
        lines.push(el("br"), this.byVote ? `${c.name}: ${c.finalAlignment.toLocaleString()} votes` : `${c.name}: ${formatUnit(c.sde)} ${this.unit}`);
      }
    }
    replace(this.tooltip, lines);
    const box = this.wrap.getBoundingClientRect();
    this.tooltip.style.setProperty("--x", `${event.clientX - box.left}px`);
    this.tooltip.style.setProperty("--y", `${event.clientY - box.top}px`);
    this.tooltip.hidden = false;
  }
}

/** The group with the most of `value` (the headline unit, or the vote) in the county, "tie" when two share the top, null before any. */
function leaderOf(results, value) {
  if (!results) return null;
  const sorted = [...results.candidates].sort((a, b) => value(b) - value(a));
  if (sorted.length === 0 || value(sorted[0]) === 0) return null;
  if (sorted.length > 1 && value(sorted[1]) === value(sorted[0])) return "tie";
  return sorted[0].name;
}

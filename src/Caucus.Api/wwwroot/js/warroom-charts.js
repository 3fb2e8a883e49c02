// The war room's charts: bars of the election's headline unit (SDEs for Iowa 2020, county convention delegates for
// Nevada 2020: labels from GET /api/v1/election, setLabels), with the range pending games of chance leave open,
// popular-vote bars and the projection table. Bar widths are CSS custom properties set through the CSSOM (the CSP allows that,
// not style attributes).
import { el, replace } from "./dom.js";
import { colourOf } from "./colours.js";

const sdeOf = (c) => Number(c.sde);

// The headline unit's abbreviation and name, and the name of the pending games of chance, from the election.
let labels = { unit: "delegates", unitName: "Delegates", games: "games of chance", weighted: true };

export function setLabels(next) {
  labels = next;
}

/**
 * A value in the headline unit as the party shows it: a weighted unit (SDEs) as the server sends it, to 4 decimals;
 * whole delegates (Nevada's CCDs) as whole numbers, with separators. `digits` for estimates (the projection).
 */
export function formatUnit(value, digits = 4) {
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  return labels.weighted
    ? n.toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : n.toLocaleString(undefined, { maximumFractionDigits: 0 });
}

/** Candidates worth a row: those with any SDE or supporters, largest SDE first. */
function active(candidates) {
  return candidates.filter((c) => sdeOf(c) > 0 || c.firstAlignment > 0 || c.finalAlignment > 0)
    .sort((a, b) => sdeOf(b) - sdeOf(a) || b.finalAlignment - a.finalAlignment || a.name.localeCompare(b.name));
}

export function renderSdeBars(list, results, candidates) {
  const rows = active(results.candidates);
  if (rows.length === 0) {
    replace(list, el("li", { class: "muted" }, "No precinct has reported yet."));
    return;
  }
  const top = Math.max(...rows.map((c) => Number(c.sdeRange?.high ?? c.sde)), 1e-9);
  replace(list, rows.map((c) => {
    const fill = el("div", { class: "fill" });
    fill.style.setProperty("--share", String(sdeOf(c) / top));
    fill.style.setProperty("--colour", colourOf(c.name, candidates));
    const track = el("div", { class: "track", "aria-hidden": "true" }, fill);
    const row = el("li", { "data-candidate": c.name },
      el("span", {}, c.name), track, el("span", { class: "value", "data-sde": c.name }, formatUnit(c.sde)));
    const range = c.sdeRange;
    if (range && range.low !== range.high) {
      const band = el("div", { class: "range" });
      band.style.setProperty("--low", String(Number(range.low) / top));
      band.style.setProperty("--span", String((Number(range.high) - Number(range.low)) / top));
      track.append(band);
      row.append(el("span", { class: "note" }, `${formatUnit(range.low)} – ${formatUnit(range.high)} until the pending ${labels.games} are decided`));
    }
    return row;
  }));
}

/**
 * The leader alert (the server's leaderAlert: pending tosses or flagged precincts could change the SDE leader).
 * The role="alert" region stays in the page and only its content changes, so a screen reader announces it as it
 * appears; its slot has a fixed height (site.css), so nothing below moves whether it shows or not.
 */
export function renderLeaderAlert(region, calm, results) {
  const alert = results.leaderAlert;
  const atRisk = Boolean(alert?.atRisk);
  const text = atRisk ? alert.reason ?? "What is still open could change the leader." : null;
  if (region.dataset.atRisk !== String(atRisk) || region.dataset.reason !== (text ?? "")) {
    region.dataset.atRisk = String(atRisk);
    region.dataset.reason = text ?? "";
    replace(region, atRisk
      ? el("div", { class: "leader-alert-box" },
        el("strong", {}, el("span", { "aria-hidden": "true" }, "⚠ "), "Leader at risk"),
        el("p", {}, text))
      : null);
  }
  const anyone = results.candidates.some((c) => Number(c.sde) > 0);
  calm.hidden = atRisk || !anyone || !alert;
  calm.textContent = `No pending ${labels.games} or flagged precinct can change the leader.`;
}

export function renderVoteBars(list, results, candidates) {
  const rows = active(results.candidates);
  if (rows.length === 0) {
    replace(list, el("li", { class: "muted" }, "No precinct has reported yet."));
    return;
  }
  const firstTotal = rows.reduce((s, c) => s + c.firstAlignment, 0) || 1;
  const finalTotal = rows.reduce((s, c) => s + c.finalAlignment, 0) || 1;
  const top = Math.max(...rows.map((c) => Math.max(c.firstAlignment / firstTotal, c.finalAlignment / finalTotal)), 1e-9);
  const pct = (n, total) => `${((100 * n) / total).toFixed(1)}%`;
  replace(list, rows.map((c) => {
    const bar = (n, total, round) => {
      const fill = el("div", { class: `fill ${round}` });
      fill.style.setProperty("--share", String(n / total / top));
      fill.style.setProperty("--colour", colourOf(c.name, candidates));
      return el("div", { class: "track" }, fill);
    };
    return el("li", { "data-candidate": c.name },
      el("span", {}, c.name),
      el("div", { "aria-hidden": "true" }, bar(c.firstAlignment, firstTotal, "first"), bar(c.finalAlignment, finalTotal, "final")),
      el("span", { class: "value" },
        `first ${c.firstAlignment.toLocaleString()} · ${pct(c.firstAlignment, firstTotal)}`, el("br"),
        `final ${c.finalAlignment.toLocaleString()} · ${pct(c.finalAlignment, finalTotal)}`));
  }));
}

/**
 * The projection, with the results version it is based on beside its numbers: "Now" is that version's count, which
 * the bars above may have passed (resultsVersion: the version the bars show), and the server's one-sentence "why".
 */
export function renderProjection(box, projection, resultsVersion = null) {
  if (!projection) {
    replace(box, el("p", { class: "muted" }, "Projection not available yet."));
    return;
  }
  const rows = [...projection.candidates].sort((a, b) => b.winProbability - a.winProbability || Number(b.sde.projected) - Number(a.sde.projected))
    .filter((c) => Number(c.sde.projected) > 0 || c.winProbability > 0);
  const behind = resultsVersion !== null && resultsVersion > projection.basedOnVersion;
  replace(box,
    el("p", { class: "muted", "data-based-on": projection.basedOnVersion },
      `Based on ${(100 * projection.reportingShare).toFixed(0)}% reporting (results version ${projection.basedOnVersion}).`,
      behind ? ` The bars show version ${resultsVersion}; the projection is catching up.` : ""),
    projection.why ? el("p", { class: "why" }, projection.why) : null,
    el("table", {},
      el("caption", { class: "visually-hidden" }, `Projected final ${labels.unitName.toLowerCase()} with 90% intervals`),
      el("thead", {}, el("tr", {},
        el("th", { scope: "col" }, "Candidate"), el("th", { scope: "col", class: "num" }, `Now (${labels.unit}, v${projection.basedOnVersion})`),
        el("th", { scope: "col", class: "num" }, "Projected"), el("th", { scope: "col", class: "num" }, "90% interval"),
        el("th", { scope: "col", class: "num" }, "Win probability"))),
      el("tbody", {}, rows.map((c) => el("tr", {},
        el("th", { scope: "row" }, c.name),
        el("td", { class: "num" }, formatUnit(c.sde.current)),
        el("td", { class: "num" }, formatUnit(c.sde.projected, 1)),
        el("td", { class: "num" }, `${formatUnit(c.sde.low, 1)} – ${formatUnit(c.sde.high, 1)}`),
        el("td", { class: "num" }, `${(100 * c.winProbability).toFixed(0)}%`))))));
}

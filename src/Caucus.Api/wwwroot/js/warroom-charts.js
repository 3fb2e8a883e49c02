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

export const unitLabels = () => labels;

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

/** Candidates with any of the headline unit, largest first; the rest are folded into one line (they have none to show). */
function active(candidates) {
  return candidates.filter((c) => sdeOf(c) > 0)
    .sort((a, b) => sdeOf(b) - sdeOf(a) || b.finalAlignment - a.finalAlignment || a.name.localeCompare(b.name));
}

const pct = (part, whole) => `${whole > 0 ? ((100 * part) / whole).toFixed(1) : "0.0"}%`;

/** Bars of the headline unit with each candidate's share beside it; candidates without any folded into `folded`. */
export function renderSdeBars(list, folded, results, candidates) {
  // A statewide headline also shows a candidate with none on the count whose range is still open (the votes out).
  const open = (c) => labels.statewide && Number(c.sdeRange?.high ?? 0) > 0;
  const rows = labels.statewide
    ? active(results.candidates).concat(results.candidates.filter((c) => sdeOf(c) === 0 && open(c)).sort((a, b) => b.finalAlignment - a.finalAlignment))
    : active(results.candidates);
  const none = results.candidates.filter((c) => !rows.includes(c)).map((c) => c.name);
  folded.hidden = rows.length === 0 || none.length === 0;
  folded.textContent = `No ${labels.unit}: ${none.join(", ")}.`;
  if (rows.length === 0) {
    replace(list, el("li", { class: "muted" }, "No precinct has reported yet."));
    return;
  }
  const total = rows.reduce((sum, c) => sum + sdeOf(c), 0);
  const top = Math.max(...rows.map((c) => Number(c.sdeRange?.high ?? c.sde)), 1e-9);
  const key = document.getElementById("sde-range-key");
  const head = results.statewideHeadline;
  key.hidden = !head && !rows.some((c) => c.sdeRange && c.sdeRange.low !== c.sdeRange.high);
  // A statewide headline: the ranges are what the votes still out could do; the called delegates cannot change hands.
  const pending = head ? "still open with the votes out" : `until the pending ${labels.games} are decided`;
  key.textContent = head
    ? `Called: ${head.called.toLocaleString()} of ${Math.round(total + head.lotSeats).toLocaleString()} ${labels.unit} can no longer change hands. ` +
      `Hatched: each candidate's range ${head.rangesExact ? "(exact)" : "(bounds)"} with at most ${head.votesOut.toLocaleString()} votes out: ${head.votesOutBasis}.` +
      (head.lotSeats > 0 ? ` ${head.lotSeats} to a lot still to be drawn.` : "")
    : `Hatched: what the pending ${labels.games} could still add or take away (the range in words for the two leading; hover the others).`;
  replace(list, rows.map((c, rank) => {
    const fill = el("div", { class: "fill" });
    fill.style.setProperty("--share", String(sdeOf(c) / top));
    fill.style.setProperty("--colour", colourOf(c.name, candidates));
    const track = el("div", { class: "track", "aria-hidden": "true" }, fill);
    const row = el("li", { "data-candidate": c.name },
      el("span", { class: "name" }, c.name), track, el("span", { class: "value", "data-sde": c.name }, formatUnit(c.sde)),
      el("span", { class: "value share" }, pct(sdeOf(c), total)));
    const range = c.sdeRange;
    if (range && range.low !== range.high) {
      const band = el("div", { class: "range" });
      band.style.setProperty("--low", String(Number(range.low) / top));
      band.style.setProperty("--span", String((Number(range.high) - Number(range.low)) / top));
      track.append(band);
      const words = `${formatUnit(range.low)} – ${formatUnit(range.high)} ${pending}`;
      // In words under the two rows the lead is between; the others' rows carry it as a title, so the panel fits a wall.
      if (rank < 2) row.append(el("span", { class: "note" }, words));
      else row.title = words;
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

/**
 * The popular vote as a table (first and final alignment, count and share; figures never wrap): candidates with any of
 * the headline unit by name, the others summed in one row.
 */
export function renderVote(box, results) {
  const rows = active(results.candidates);
  if (rows.length === 0) {
    replace(box, el("p", { class: "muted" }, "No precinct has reported yet."));
    return;
  }
  const others = results.candidates.filter((c) => sdeOf(c) === 0 && (c.firstAlignment > 0 || c.finalAlignment > 0));
  const firstTotal = results.candidates.reduce((s, c) => s + c.firstAlignment, 0);
  const finalTotal = results.candidates.reduce((s, c) => s + c.finalAlignment, 0);
  // One round (a secret ballot): the votes only, the first count being the same.
  const line = (name, first, final, title) => el("tr", title ? { title } : {},
    el("th", { scope: "row" }, name),
    labels.oneRound ? null : el("td", { class: "num" }, first.toLocaleString()), labels.oneRound ? null : el("td", { class: "num" }, pct(first, firstTotal)),
    el("td", { class: "num" }, final.toLocaleString()), el("td", { class: "num" }, pct(final, finalTotal)));
  const heads = labels.oneRound ? ["Votes", "%"] : ["First", "%", "Final", "%"];
  const byFinal = [...rows].sort((a, b) => b.finalAlignment - a.finalAlignment);
  replace(box, el("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "Popular vote table" }, el("table", { class: "vote" },
    el("caption", { class: "visually-hidden" }, labels.oneRound ? "Popular vote" : "Popular vote: first and final alignment"),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Candidate"), ...heads.map((h) => el("th", { scope: "col", class: "num" }, h)))),
    el("tbody", {}, byFinal.map((c) => line(c.name, c.firstAlignment, c.finalAlignment)),
      others.length === 0 ? null : line(others.length === 1 ? others[0].name : `${others.length} others`, others.reduce((s, c) => s + c.firstAlignment, 0),
        others.reduce((s, c) => s + c.finalAlignment, 0), others.map((c) => c.name).join(", "))))));
}

/**
 * The projection, with the results version it is based on above its numbers (the bars may have passed it;
 * resultsVersion: the version the bars show), and the server's one-sentence "why". Four columns, so it fits its panel.
 */
export function renderProjection(box, projection, resultsVersion = null) {
  if (!projection) {
    replace(box, el("p", { class: "muted" }, "Projection not available yet."));
    return;
  }
  const ranked = [...projection.candidates].sort((a, b) => b.winProbability - a.winProbability || Number(b.sde.projected) - Number(a.sde.projected))
    .filter((c) => Number(c.sde.projected) > 0 || c.winProbability > 0);
  // Rows that could matter: any chance of winning, or among the six projected largest; the rest named in one line.
  const sixth = [...ranked].map((c) => Number(c.sde.projected)).sort((a, b) => b - a)[5] ?? 0;
  const rows = ranked.filter((c) => c.winProbability >= 0.005 || Number(c.sde.projected) >= sixth);
  const rest = ranked.filter((c) => !rows.includes(c));
  const behind = resultsVersion !== null && resultsVersion > projection.basedOnVersion;
  replace(box,
    el("p", { class: "muted", "data-based-on": projection.basedOnVersion },
      `Based on ${(100 * projection.reportingShare).toFixed(0)}% reporting (results version ${projection.basedOnVersion}).`,
      behind ? ` The bars show version ${resultsVersion}; the projection is catching up.` : ""),
    projection.why ? el("p", { class: "why" }, projection.why) : null,
    // Scrolls inside its panel rather than spilling out where five columns do not fit (a phone).
    el("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "Projection table" }, el("table", { class: "projection" },
      el("caption", { class: "visually-hidden" }, `Projected final ${labels.unitName.toLowerCase()} with 90% intervals`),
      el("thead", {}, el("tr", {},
        el("th", { scope: "col" }, "Candidate"),
        el("th", { scope: "col", class: "num" }, "Projected"), el("th", { scope: "col", class: "num" }, "90% interval"),
        el("th", { scope: "col", class: "num" }, "Win"))),
      el("tbody", {}, rows.map((c) => el("tr", {},
        el("th", { scope: "row" }, c.name),
        el("td", { class: "num" }, formatUnit(c.sde.projected, 1)),
        el("td", { class: "num" }, `${formatUnit(c.sde.low, 1)}–${formatUnit(c.sde.high, 1)}`),
        el("td", { class: "num" }, `${(100 * c.winProbability).toFixed(0)}%`)))))),
    rest.length === 0 ? null : el("p", { class: "muted small" }, `Under 1% to win and smaller: ${rest.map((c) => c.name).join(", ")}.`));
}

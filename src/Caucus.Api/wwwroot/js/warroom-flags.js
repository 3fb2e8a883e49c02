// "Needs attention": every flagged precinct from GET /api/v1/flags in one list, counts by kind above it, each item with
// its reason in words (the server's `detail`, or what its kind means where it has nothing to add) and a link that
// opens the precinct (warroom-precinct.js). Largest stake first: what the precinct carries in the headline unit.
import { el, replace } from "./dom.js";
import { formatUnit, unitLabels } from "./warroom-charts.js";

/** The kinds, in the order the room deals with them; `list` is the /api/v1/flags property. */
function kinds() {
  const { games } = unitLabels();
  // One of the games, by the plural names tie-input.js's gamesName gives.
  const game = { "coin tosses": "coin toss", "card draws": "card draw", "drawings of lots": "drawing of lots" }[games] ?? "game of chance";
  return [
    { kind: "inconsistent", list: "inconsistent", name: ["math error", "math errors"], label: "Math error", fallback: "the reported delegates do not follow the rules" },
    { kind: "pending", list: "pendingTieBreaks", name: [`pending ${game}`, `pending ${games}`], label: "Pending", fallback: `a tie waits for its ${game}` },
    { kind: "mismatch", list: "doubleEntryMismatches", name: ["double-entry mismatch", "double-entry mismatches"], label: "Mismatch", fallback: "the two hotline entries differ" },
    { kind: "disagreement", list: "sourceDisagreements", name: ["source disagreement", "source disagreements"], label: "Sources differ", fallback: "the sources report different numbers" },
  ];
}

/** Fills the counts and the list; returns what the flagged precincts carry in the headline unit (each precinct once). */
export function renderFlags(counts, list, flags) {
  const all = kinds();
  replace(counts, all.map((k) => el("li", { "data-kind": k.kind, class: flags[k.list].length > 0 ? "some" : "none" },
    el("span", { class: "count" }, flags[k.list].length.toLocaleString()), ` ${k.name[flags[k.list].length === 1 ? 0 : 1]}`)));
  const items = all.flatMap((k) => flags[k.list].map((f) => ({ k, f })))
    .sort((a, b) => Number(b.f.sde ?? 0) - Number(a.f.sde ?? 0) || a.f.county.localeCompare(b.f.county) || a.f.name.localeCompare(b.f.name));
  if (items.length === 0) replace(list, el("li", { class: "muted" }, "Nothing needs attention."));
  else {
    replace(list, items.map(({ k, f }) => {
      const reason = [f.detail ?? k.fallback, f.differences.length > 0 ? f.differences.join("; ") : null].filter(Boolean).join(": ");
      return el("li", { "data-kind": k.kind, "data-precinct": f.precinct },
        el("span", { class: `kind ${k.kind}` }, k.label),
        el("a", { href: `#precinct=${encodeURIComponent(f.precinct)}` }, `${f.county} — ${f.name}`),
        // Under a statewide headline a precinct carries none of the unit on its own: no stake to show.
        f.sde === null || f.sde === undefined || unitLabels().statewide ? null : el("span", { class: "stake" }, `${formatUnit(f.sde, 2)} ${unitLabels().unit}`),
        el("span", { class: "reason" }, reason));
    }));
  }
  const seen = new Map();
  for (const { f } of items) seen.set(f.precinct, Number(f.sde ?? 0));
  return [...seen.values()].reduce((sum, v) => sum + v, 0);
}

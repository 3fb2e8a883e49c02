// A flagged precinct opened from "Needs attention" (#precinct=ID in the address): what the server counts for it, the
// rules' warnings, the pending game of chance and which sources reported, from GET /api/v1/precincts/{id}, in a panel
// beside the list; the address can be shared with a colleague who has the same access.
import { api, precinctPath } from "./api.js";
import { byId, el, replace } from "./dom.js";

let oneRound = false;

/** oneRound: the election's form counts one round of votes (a secret ballot): the panel shows votes, no delegates. */
export function followPrecinctLinks(token, { oneRound: votesOnly = false } = {}) {
  oneRound = votesOnly;
  const show = async () => {
    const id = new URLSearchParams(location.hash.slice(1)).get("precinct");
    const box = byId("precinct-detail");
    if (!id) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    replace(byId("precinct-body"), el("p", { class: "muted" }, "Loading…"));
    try {
      render(await api(precinctPath(id), { token }));
    } catch (error) {
      replace(byId("precinct-body"), el("p", { class: "message bad" }, error.message));
    }
    byId("precinct-heading").focus();
  };
  window.addEventListener("hashchange", show);
  byId("precinct-close").addEventListener("click", () => history.replaceState(null, "", location.pathname + location.search) || show());
  show();
}

function render(p) {
  byId("precinct-heading").textContent = `${p.county} — ${p.name}`;
  const counted = p.counted;
  if (oneRound && counted) return renderVotes(p, counted);
  const groups = counted ? Object.keys({ ...counted.first, ...counted.final }) : [];
  replace(byId("precinct-body"),
    el("p", {}, counted
      ? `${p.delegates} delegates; counted: the ${counted.source} report (revision ${counted.revision}), ${counted.attendees.toLocaleString()} attendees.`
      : `${p.delegates} delegates; nothing counts yet.`),
    p.warnings.length > 0 ? el("ul", { class: "list" }, p.warnings.map((w) => el("li", {}, w.message))) : null,
    p.pendingTieBreak ? el("p", { class: "message warn" }, `Pending: ${p.pendingTieBreak.description}`) : null,
    p.decidedTieBreak ? decided(p.decidedTieBreak) : null,
    counted ? el("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "Counted numbers" }, el("table", {},
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Group"), el("th", { scope: "col", class: "num" }, "First"),
        el("th", { scope: "col", class: "num" }, "Final"), el("th", { scope: "col", class: "num" }, "Delegates"),
        el("th", { scope: "col", class: "num" }, "Reported"))),
      el("tbody", {}, groups.map((g) => el("tr", {}, el("th", { scope: "row" }, g),
        el("td", { class: "num" }, String(counted.first[g] ?? 0)), el("td", { class: "num" }, String(counted.final[g] ?? 0)),
        el("td", { class: "num" }, String(p.allocation?.countyDelegates[g] ?? 0)),
        el("td", { class: "num" }, p.reportedDelegates ? String(p.reportedDelegates[g] ?? 0) : "—")))))) : null,
    el("p", { class: "muted" }, `Sources: ${p.sources.map((s) => `${s.source} r${s.revision}${s.counted ? " (counts)" : ""}`).join(", ") || "none"}.`));
}

/** A one-round unit: its ballots and votes; it elects no delegate (the headline is statewide). */
function renderVotes(p, counted) {
  replace(byId("precinct-body"),
    el("p", {}, `Counted: the ${counted.source} report (revision ${counted.revision}), ${counted.attendees.toLocaleString()} ballots cast.`),
    p.warnings.length > 0 ? el("ul", { class: "list" }, p.warnings.map((w) => el("li", {}, w.message))) : null,
    el("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "Counted votes" }, el("table", {},
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Candidate"), el("th", { scope: "col", class: "num" }, "Votes"))),
      el("tbody", {}, Object.keys(counted.final).map((g) => el("tr", {}, el("th", { scope: "row" }, g),
        el("td", { class: "num" }, counted.final[g].toLocaleString())))))),
    el("p", { class: "muted" }, `Sources: ${p.sources.map((s) => `${s.source} r${s.revision}${s.counted ? " (counts)" : ""}`).join(", ") || "none"}.`));
}

/** Who won and who lost the game of chance the counted report recorded (each lot, as SubCalc reports it). */
function decided(t) {
  const names = (list) => list.join(", ") || "nobody";
  return el("p", { class: "decided-tie" },
    `Decided by chance among ${names(t.groups)}: won by ${names(t.winners)}; lost by ${names(t.losers)}`,
    t.ranking ? ` (drawn in the order ${t.ranking.join(", ")})` : "", ".");
}

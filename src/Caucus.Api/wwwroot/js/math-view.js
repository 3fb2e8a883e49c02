// The server's math for a report body (its preview), as the hotline console, the report page and the admin page's
// corrections show it: threshold, each group's counts, viability, delegates and the headline unit, the status and the
// warnings. Display only: every number comes from the preview.
import { el } from "./dom.js";
import { gameName } from "./tie-input.js";

/** The nodes that show a preview (result) of a body; form: the election's groups, headline unit and game of chance. */
export function mathView(result, body, { candidates, headline, ties, oneRound = false }) {
  const a = result.allocation;
  if (oneRound) return votesView(result, body, { candidates, headline });
  const early = result.early;
  // With an early vote, each alignment is shown in person + early = merged (what the rules count), side by side.
  const count = (round, earlyRound, group) => {
    const person = body[round][group] ?? 0;
    if (!early) return String(person);
    const card = early[earlyRound][group] ?? 0;
    return `${person} + ${card} = ${person + card}`;
  };
  const counts = (group) => [count("first", "earlyFirst", group), count("final", "earlyFinal", group)];
  // The election's groups in ballot order, then any the report named itself (open groups: a subcaucus named on the night).
  const groups = [...candidates.filter((g) => g in body.final || (early && (g in early.earlyFirst || g in early.earlyFinal))),
    ...Object.keys(body.final).filter((g) => !candidates.includes(g))];
  // A headline unit that is the precinct's delegates themselves (whole, unweighted, called "delegates") would repeat the
  // Delegates column under the same word: shown once.
  const headlineColumn = headline.weightedByCounty || headline.abbreviation.toLowerCase() !== "delegates";
  const rows = groups.map((group) => {
    const viable = a.viableGroups.includes(group);
    return el("tr", {},
      el("th", { scope: "row" }, group),
      counts(group).map((n) => el("td", { class: "num" }, n)),
      el("td", { class: viable ? "yes" : "no" }, viable ? "viable" : "not viable"),
      el("td", { class: "num" }, a.countyDelegates[group] ?? 0),
      headlineColumn ? el("td", { class: "num" }, a.sde?.[group] === undefined ? "—" : unit(headline, a.sde[group])) : null);
  });
  const game = gameName(ties);
  const status = {
    decided: "Decided by the rules.",
    "tie-broken": `Decided, with the ${game} as entered.`,
    "pending-tie-break": `Provisional: a ${game} decides part of it (enter its outcome).`,
  }[a.status] ?? a.status;
  const heads = [...(early
    ? ["Group", "First: in person + early", "Final: in person + early", "Viability", "Delegates"]
    : ["Group", "First", "Final", "Viability", "Delegates"]), ...(headlineColumn ? [headline.abbreviation] : [])];
  const viabilityColumn = heads.indexOf("Viability");
  return [
    el("p", {}, `Viability threshold: `, el("strong", { class: "num" }, a.viabilityThreshold), ` of ${a.attendees} participants · ${a.delegates} delegates to elect`),
    early ? el("p", { class: "muted small" },
      `Early vote: ${early.cards} cards (${early.void} void, ${early.left} with no viable choice), merged into both alignments.`) : null,
    // Wide with an early vote: the table scrolls inside its own box, which the keyboard can reach and scroll.
    el("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "The math, per group" }, el("table", {},
      el("caption", { class: "visually-hidden" }, "Delegates as the rules give them"),
      el("thead", {}, el("tr", {},
        ...heads.map((h, i) => el("th", { scope: "col", class: i === 0 || i === viabilityColumn ? null : "num", title: headlineColumn && i === heads.length - 1 ? headline.name : null }, h)))),
      el("tbody", {}, rows))),
    el("p", { class: a.status === "pending-tie-break" ? "message warn" : "muted" }, status),
    result.warnings.length === 0 ? null : el("ul", { class: "list" },
      result.warnings.map((w) => el("li", { class: "message warn" }, w.message))),
  ];
}

/**
 * One round of votes (a secret ballot): the votes per candidate and the ballots cast, and where the delegates are
 * decided (statewide, from the summed vote: a unit elects none, so no delegate column is shown).
 */
function votesView(result, body, { candidates, headline }) {
  const votes = candidates.filter((g) => g in body.final);
  const total = votes.reduce((s, g) => s + body.final[g], 0);
  return [
    el("p", {}, el("strong", { class: "num" }, total.toLocaleString()), ` votes of `,
      el("strong", { class: "num" }, result.allocation.attendees.toLocaleString()), ` ballots cast`),
    el("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "The votes, per candidate" }, el("table", {},
      el("caption", { class: "visually-hidden" }, "Votes per candidate"),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Candidate"), el("th", { scope: "col", class: "num" }, "Votes"))),
      el("tbody", {}, votes.map((g) => el("tr", {}, el("th", { scope: "row" }, g), el("td", { class: "num" }, body.final[g].toLocaleString())))))),
    el("p", { class: "muted" }, headline.statewide
      ? `${headline.name} are allocated statewide from the summed vote: this unit's votes count toward them.`
      : "Decided by the rules."),
    result.warnings.length === 0 ? null : el("ul", { class: "list" },
      result.warnings.map((w) => el("li", { class: "message warn" }, w.message))),
  ];
}

/** A value in the headline unit as the party shows it: SDEs to 4 decimals as sent, whole delegates (CCDs) as integers. */
export function unit(headline, value) {
  return headline.weightedByCounty ? value : String(Math.round(Number(value)));
}

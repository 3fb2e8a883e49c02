// One review item's versions side by side: the counts of each version, the delegates reported and the delegates the
// rules give, with what differs marked (in words too, for a screen reader). The sender is named as the credential was
// issued ("Hotline operator 2"), never by its token id: the id stays in the audit trail.
import { el, time } from "./dom.js";

/** Groups in ballot order, then any others the reports name. */
function groupsOf(election, versions) {
  const named = new Set(versions.flatMap((v) => [v.first, v.final, v.reportedDelegates ?? {}, v.countyDelegates].flatMap(Object.keys)));
  return [...election.candidates.filter((c) => named.has(c)), ...[...named].filter((g) => !election.candidates.includes(g)).sort()];
}

export function versionsTable(election, item) {
  const versions = item.versions;
  if (versions.length === 0) return [el("p", { class: "muted" }, "No numbers have arrived for this precinct yet.")];
  const groups = groupsOf(election, versions);
  // One round (a secret ballot): the votes are the whole report; a unit elects no delegate.
  const columns = election.form.oneRound ? [{ key: "final", label: election.form.finalLabel, value: (v, g) => v.final[g] ?? 0 }] : [
    { key: "first", label: "First", value: (v, g) => v.first[g] ?? 0 },
    { key: "final", label: "Final", value: (v, g) => v.final[g] ?? 0 },
    ...(versions.some((v) => v.reportedDelegates)
      ? [{ key: "reported", label: "Reported delegates", value: (v, g) => (v.reportedDelegates ? v.reportedDelegates[g] ?? 0 : null) }]
      : []),
    { key: "computed", label: "Delegates by the rules", value: (v, g) => v.countyDelegates[g] ?? 0 },
  ];
  const several = versions.length > 1;
  // Two versions: a number differs when the versions do not all agree on it. One version: reported delegates
  // that are not what the rules give (the very reason a rules-broken item is here).
  const differs = (values) => new Set(values.filter((n) => n !== null)).size > 1;
  let marked = false;
  const cell = (n, mark, first, why) => {
    if (mark) marked = true;
    return el("td", { class: ["num", first ? "start" : null, mark ? "differs" : null].filter(Boolean).join(" "), "data-differs": mark ? "true" : null },
      mark ? el("span", { "aria-hidden": "true" }, "≠ ") : null,
      n === null ? "—" : n.toLocaleString(),
      mark ? el("span", { class: "visually-hidden" }, ` (${why})`) : null);
  };

  const heading = (v) => el("th", { scope: "colgroup", colspan: columns.length, class: "start version-head", "data-source": v.source },
    el("span", { class: "source" }, v.source), ` · revision ${v.revision}`,
    v.precinct !== item.precinct ? el("span", { class: "other" }, el("br"), `another precinct: ${v.precinct}`) : null,
    el("br"), el("span", { class: "muted small" }, `received ${time(v.receivedAt)} from ${v.actorName}`),
    v.held ? el("span", { class: "badge bad" }, "held out of the totals") : null);

  const attendeesRow = el("tr", {}, el("th", { scope: "row" }, election.form.oneRound ? election.form.attendeesLabel : "Attendees"),
    versions.map((v) => {
      const td = cell(v.attendees, several && differs(versions.map((x) => x.attendees)), true, "differs between the versions");
      td.colSpan = columns.length;
      td.classList.add("span");
      return td;
    }));
  const groupRows = groups.map((g) => el("tr", { "data-group": g }, el("th", { scope: "row" }, g),
    versions.flatMap((v) => columns.map((c, index) => {
      const n = c.value(v, g);
      if (several) return cell(n, differs(versions.map((x) => c.value(x, g))), index === 0, "differs between the versions");
      const wrong = c.key === "reported" && n !== null && n !== (v.countyDelegates[g] ?? 0);
      return cell(n, wrong, index === 0, "not what the rules give");
    }))));

  const table = el("table", { class: "versions" },
    el("caption", { class: "visually-hidden" }, several ? `The ${versions.length} versions side by side` : "The report as counted"),
    el("thead", {},
      el("tr", {}, el("th", { scope: "col", rowspan: 2 }, election.form.oneRound ? "Candidate" : "Group"), versions.map(heading)),
      el("tr", {}, versions.flatMap(() => columns.map((c, index) => el("th", { scope: "col", class: index === 0 ? "num start" : "num" }, c.label))))),
    el("tbody", {}, attendeesRow, groupRows));
  // An early vote is merged into the counts above; say how much of them it is, per version (the correction form below
  // starts from the in-person counts and the rankings as reported).
  const early = versions.map((v, i) => (v.early
    ? el("p", { class: "muted small" },
      `${several ? `Version ${i + 1}: ` : ""}the counts include the early vote: ${v.early.inPersonAttendees.toLocaleString()} in person, ` +
      `${v.early.cards.toLocaleString()} early cards (${v.early.void} void, ${v.early.left} with no viable choice); ` +
      `early part of the final alignment: ${Object.entries(v.early.earlyFinal).map(([g, n]) => `${g} ${n}`).join(", ") || "none"}.`)
    : null));
  // Named for its item: a precinct's card holds several of these regions, and each landmark needs its own name.
  return [
    el("div", { class: "table-scroll", tabindex: "0", role: "region",
      "aria-label": `${several ? "The versions side by side" : "The report"}: ${item.county} — ${item.name}, ${item.reason.replaceAll("-", " ")}` }, table),
    ...early,
    marked ? el("p", { class: "muted small" }, several
      ? "≠ marks a number the versions disagree on."
      : "≠ marks reported delegates that are not what the rules give.") : null,
  ];
}

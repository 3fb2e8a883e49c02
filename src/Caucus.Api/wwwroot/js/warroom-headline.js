// The headline strip a room reads from across the floor: who leads and by how much (in the headline unit and in share),
// who leads the popular vote when someone else does, what is left to come in, and how old the numbers are; and the
// full-width banner when the connection drops, so nobody reads stale numbers as live ones.
import { byId, el, replace, time } from "./dom.js";
import { formatUnit, unitLabels } from "./warroom-charts.js";

const n = (count) => count.toLocaleString();
const pct = (part, whole) => `${whole > 0 ? ((100 * part) / whole).toFixed(1) : "0.0"}%`;

/** The lead in the headline unit and the popular vote (final alignment: what the party publishes as the vote). */
export function renderLead(results) {
  const { unit } = unitLabels();
  const bySde = [...results.candidates].sort((a, b) => Number(b.sde) - Number(a.sde) || b.finalAlignment - a.finalAlignment);
  const total = bySde.reduce((sum, c) => sum + Number(c.sde), 0);
  const [first, second] = bySde;
  const lead = byId("lead-sde");
  const vote = byId("lead-vote");
  if (!first || Number(first.sde) === 0) {
    lead.textContent = "No precinct has reported yet.";
    vote.textContent = "";
    return;
  }
  const margin = Number(first.sde) - Number(second?.sde ?? 0);
  if (margin === 0) replace(lead, el("strong", {}, `${first.name} and ${second.name} are tied`), ` at ${formatUnit(first.sde)} ${unit}`);
  else {
    replace(lead, el("strong", {}, `${first.name} leads by ${formatUnit(margin)} ${unit}`),
      el("span", { class: "share" }, ` ${pct(Number(first.sde), total)} to ${second.name}'s ${pct(Number(second.sde), total)}`));
  }
  const byVote = [...results.candidates].sort((a, b) => b.finalAlignment - a.finalAlignment);
  const [top, next] = byVote;
  const votes = byVote.reduce((sum, c) => sum + c.finalAlignment, 0);
  const { oneRound } = unitLabels();
  const ahead = `${n(top.finalAlignment)} (${pct(top.finalAlignment, votes)}) to ${next.name}'s ${n(next.finalAlignment)} ${oneRound ? "in the vote" : "in the final alignment"}`;
  if (top.finalAlignment === next.finalAlignment) vote.textContent = `${top.name} and ${next.name} are tied in the popular vote at ${n(top.finalAlignment)}.`;
  else if (top.name !== first.name) replace(vote, el("strong", {}, `${top.name} leads the popular vote`), `: ${ahead}.`);
  else vote.textContent = `${top.name} also leads the popular vote: ${ahead}.`;
}

/**
 * What is left: precincts and satellites not yet in (the results document's one count), games of chance still to hold,
 * and what the flagged precincts carry in the headline unit (null until /api/v1/flags has answered).
 */
export function renderLeft(results, flaggedSde) {
  const { unit, games } = unitLabels();
  const sat = results.precincts.satellites;
  // A statewide headline: its units hold no game of chance and carry no delegates; the votes they could still add
  // (the stated bound) are what is left.
  const head = results.statewideHeadline;
  const items = [
    [results.precincts.total - results.precincts.reporting - (sat ? sat.total - sat.reporting : 0), "precincts"],
    sat ? [sat.total - sat.reporting, "satellites"] : null,
    head ? [head.votesOut, "votes at most"] : [results.flags.pendingTieBreaks, `pending ${games}`],
  ].filter(Boolean).map(([count, what]) => el("li", {}, el("span", { class: "big" }, n(count)), ` ${what}`));
  if (flaggedSde !== null && !head) items.push(el("li", {}, el("span", { class: "big" }, formatUnit(flaggedSde, 1)), ` ${unit} in flagged precincts`));
  replace(byId("left"), items);
}

/** The reporting count, from the one results document (satellites: its part of the same count). */
export function renderReporting(results) {
  const { reporting, total, satellites: sat } = results.precincts;
  byId("reporting").textContent = sat
    ? `${n(reporting)} of ${n(total)} reporting: ${n(reporting - sat.reporting)} of ${n(total - sat.total)} precincts, ${n(sat.reporting)} of ${n(sat.total)} satellites`
    : `${n(reporting)} of ${n(total)} precincts reporting`;
}

const age = (ms) => {
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s` : `${Math.floor(s / 3600)} h ${String(Math.floor(s / 60) % 60).padStart(2, "0")} min`;
};

/**
 * The data's age, ticking every second: while live, since the last change arrived; once the connection drops, since
 * the moment it dropped (until then the stream vouched for them; nothing newer can have reached the page since), and
 * the banner says so.
 */
export class DataAge {
  constructor() {
    this.changedAt = null; // when the page last received new results (this browser's clock: no skew with the server's)
    this.lostAt = null;
    this.retryAt = null;
    setInterval(() => this.render(), 1000);
  }

  changed() {
    this.changedAt = Date.now();
    this.render();
  }

  connection(state, detail) {
    if (state === "live") this.lostAt = null;
    else if (state === "reconnecting") {
      this.lostAt ??= Date.now();
      this.retryAt = Date.now() + detail;
    }
    this.render();
  }

  render() {
    const now = Date.now();
    const big = byId("data-age");
    const note = byId("data-age-note");
    const banner = byId("stale");
    if (this.lostAt !== null) {
      // The numbers were known to be current until the connection dropped: their age counts from then.
      const since = this.lostAt;
      big.textContent = age(now - since);
      note.textContent = `old: connection lost at ${time(this.lostAt)}`;
      if (banner.hidden) {
        // The alert's sentence is set once, as the connection drops; the ticking age beside it is not announced.
        byId("stale-text").textContent = `Connection lost at ${time(this.lostAt)}: these numbers may be out of date.`;
        banner.hidden = false;
      }
      const retry = this.retryAt === null ? "" : ` Reconnecting${this.retryAt > now ? ` in ${Math.ceil((this.retryAt - now) / 1000)} s` : "…"}`;
      byId("stale-age").textContent = `The data is ${age(now - since)} old.${retry}`;
      return;
    }
    banner.hidden = true;
    byId("stale-text").textContent = "";
    if (this.changedAt === null) {
      big.textContent = "—";
      note.textContent = "waiting for the first numbers";
      return;
    }
    big.textContent = age(now - this.changedAt);
    note.textContent = `since the last change (${time(this.changedAt)}), live`;
  }
}

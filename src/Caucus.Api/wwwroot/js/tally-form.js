// The tally entry form shared by the hotline console, the report page and the admin page's corrections, rendered from
// the election's rule set (GET /api/v1/election: form and headline): attendance, first and final alignment per group,
// the early-vote cards where the rule set has an early vote, the outcome of a tie the rules leave to chance as the rule
// set records it, and the math as the server computes it (POST …/preview on every change). The page never computes
// delegates itself.
import { api, ApiError, precinctPath } from "./api.js";
import { el, replace, debounce } from "./dom.js";
import { TieInput, gameName } from "./tie-input.js";
import { EarlyVoteInput } from "./early-vote-input.js";

export class TallyForm {
  /**
   * root: an element to build the form in. election: GET /api/v1/election (its groups in ballot order, its rule set's
   * form and headline unit). onComplete: Enter in the last field. onPreview(result|null): after each answer.
   */
  constructor(root, { election, token, source, idPrefix, onComplete, onPreview }) {
    this.candidates = election.candidates;
    this.form = election.form;
    this.headline = election.headline;
    this.token = token;
    this.source = source;
    this.onComplete = onComplete;
    this.onPreview = onPreview;
    this.precinct = null;
    this.preview = null;
    this.sequence = 0;
    this.idPrefix = idPrefix;
    const id = (name) => `${idPrefix}-${name}`;

    this.attendees = el("input", { id: id("attendees"), inputmode: "numeric", autocomplete: "off", class: "num", "aria-describedby": id("attendees-hint") });
    const attendance = el("div", { class: "field" },
      el("label", { for: id("attendees") }, this.form.attendeesLabel),
      this.attendees,
      el("span", { id: id("attendees-hint"), class: "muted" }, "Whole people, as the head count was taken."));

    this.inputs = new Map();
    const rows = this.candidates.map((group, index) => {
      const first = el("input", { id: id(`first-${index}`), inputmode: "numeric", autocomplete: "off", "data-group": group, "data-round": "first" });
      const final = el("input", { id: id(`final-${index}`), inputmode: "numeric", autocomplete: "off", "data-group": group, "data-round": "final" });
      this.inputs.set(group, { first, final });
      return el("tr", {},
        el("th", { scope: "row" }, group),
        el("td", {}, el("label", { for: first.id, class: "visually-hidden" }, `${group}, ${this.form.firstLabel.toLowerCase()}`), first),
        el("td", {}, el("label", { for: final.id, class: "visually-hidden" }, `${group}, ${this.form.finalLabel.toLowerCase()}`), final));
    });
    const table = el("table", { class: "tally" },
      el("caption", { class: "visually-hidden" }, "Alignment counts per group"),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Group"), el("th", { scope: "col" }, this.form.firstLabel), el("th", { scope: "col" }, this.form.finalLabel))),
      el("tbody", {}, rows));

    const earlyBox = el("div");
    this.early = this.form.earlyVote
      ? new EarlyVoteInput(earlyBox, { candidates: this.candidates, form: this.form.earlyVote, idPrefix, onChange: () => this.changed() })
      : null;
    const tossBox = el("div", { class: "toss", "aria-live": "polite" });
    this.tie = new TieInput(tossBox, { method: this.form.ties, idPrefix, onChange: () => this.refresh() });
    this.mathBox = el("div", { class: "math", "aria-live": "polite" });
    replace(root, attendance, table, earlyBox, tossBox);
    this.mathRoot = this.mathBox;

    // Keyboard-first: Enter moves on, in reading order: attendance, every first count, then every final count.
    this.order = [this.attendees, ...this.candidates.map((g) => this.inputs.get(g).first), ...this.candidates.map((g) => this.inputs.get(g).final)];
    this.order.forEach((input, index) => {
      input.addEventListener("keydown", (event) => {
        if (event.key !== "Enter") return;
        event.preventDefault();
        const next = this.order[index + 1];
        if (next) next.focus();
        else this.onComplete?.();
      });
      input.addEventListener("input", () => this.changed());
    });
    this.refresh = debounce(() => this.runPreview(), 150);
  }

  /** The element the math is shown in, for the page to place. */
  get math() {
    return this.mathRoot;
  }

  setPrecinct(precinct) {
    this.precinct = precinct;
    this.clear();
  }

  clear() {
    this.attendees.value = "";
    for (const { first, final } of this.inputs.values()) {
      first.value = "";
      final.value = "";
    }
    this.early?.clear();
    this.tie.reset();
    this.preview = null;
    replace(this.mathBox, el("p", { class: "muted" }, "The math appears here as the numbers are entered."));
    this.onPreview?.(null);
  }

  /**
   * Fills in a report's numbers (an admin's correction starts from what was sent), then asks for the math. Where the
   * report had an early vote, the in-person counts and the rankings as reported, so the correction merges them again.
   */
  fill({ attendees, first, final, early }) {
    if (early) {
      ({ inPersonAttendees: attendees, inPersonFirst: first, inPersonFinal: final } = early);
      this.early?.fill(early.rankings);
    }
    this.attendees.value = String(attendees);
    for (const [group, inputs] of this.inputs) {
      inputs.first.value = first[group] ? String(first[group]) : "";
      inputs.final.value = final[group] ? String(final[group]) : "";
    }
    this.changed();
  }

  focusFirst() {
    this.attendees.focus();
  }

  changed() {
    for (const input of [...this.order, ...(this.early?.counts ?? [])]) {
      input.setAttribute("aria-invalid", input.value.trim() !== "" && !/^\d+$/.test(input.value.trim()) ? "true" : "false");
    }
    this.refresh();
  }

  /** The report body as typed, or null while attendance is missing or a field is not a whole number. */
  body() {
    const whole = (input) => (input.value.trim() === "" ? 0 : /^\d+$/.test(input.value.trim()) ? Number(input.value.trim()) : NaN);
    const attendees = whole(this.attendees);
    if (this.attendees.value.trim() === "" || Number.isNaN(attendees)) return null;
    const first = {};
    const final = {};
    for (const [group, inputs] of this.inputs) {
      const f = whole(inputs.first);
      const l = whole(inputs.final);
      if (Number.isNaN(f) || Number.isNaN(l)) return null;
      if (f > 0 || l > 0) {
        first[group] = f;
        final[group] = l;
      }
    }
    const body = { attendees, first, final, source: this.source() };
    if (this.early) {
      const early = this.early.value();
      if (early === null) return null;
      if (early.length > 0) body.early = early;
    }
    const outcome = this.tie.entry();
    if (outcome) body.tieBreaks = [outcome];
    return body;
  }

  /** True when the rules leave a tie to chance and its outcome has not been entered yet. */
  get tossMissing() {
    return this.tie.missing;
  }

  /** What to tell the user while that outcome is missing. */
  tossMissingMessage(onTheHotline = false) {
    return this.tie.missingMessage(onTheHotline);
  }

  async runPreview() {
    const body = this.body();
    if (!this.precinct || !body) {
      this.preview = null;
      this.onPreview?.(null);
      return;
    }
    const sequence = ++this.sequence;
    let result;
    try {
      result = await api(`${precinctPath(this.precinct.id)}/preview`, { token: this.token, method: "POST", body });
    } catch (error) {
      if (sequence !== this.sequence) return;
      this.preview = null;
      replace(this.mathBox, el("p", { class: "message warn" }, previewProblem(error)));
      this.onPreview?.(null);
      return;
    }
    if (sequence !== this.sequence) return; // a newer keystroke's answer is on its way
    const hadTieBreaks = Boolean(body.tieBreaks);
    this.tie.follow(result);
    if (hadTieBreaks && this.tie.tie === null) {
      // The numbers changed and the recorded toss no longer applies: ask again without it.
      this.refresh();
      return;
    }
    this.preview = result;
    this.renderMath(result, body);
    this.onPreview?.(result);
  }

  renderMath(result, body) {
    const a = result.allocation;
    const early = result.early;
    // With an early vote, each alignment is shown in person + early = merged (what the rules count), side by side.
    const count = (round, earlyRound, group) => {
      const person = body[round][group] ?? 0;
      if (!early) return String(person);
      const card = early[earlyRound][group] ?? 0;
      return `${person} + ${card} = ${person + card}`;
    };
    const counts = (group) => [count("first", "earlyFirst", group), count("final", "earlyFinal", group)];
    const groups = this.candidates.filter((g) => g in body.final || (early && (g in early.earlyFirst || g in early.earlyFinal)));
    const rows = groups.map((group) => {
      const viable = a.viableGroups.includes(group);
      return el("tr", {},
        el("th", { scope: "row" }, group),
        counts(group).map((n) => el("td", { class: "num" }, n)),
        el("td", { class: viable ? "yes" : "no" }, viable ? "viable" : "not viable"),
        el("td", { class: "num" }, a.countyDelegates[group] ?? 0),
        el("td", { class: "num" }, a.sde?.[group] === undefined ? "—" : this.unit(a.sde[group])));
    });
    const game = gameName(this.form.ties);
    const status = {
      decided: "Decided by the rules.",
      "tie-broken": `Decided, with the ${game} as entered.`,
      "pending-tie-break": `Provisional: a ${game} decides part of it (enter its outcome).`,
    }[a.status] ?? a.status;
    const heads = early
      ? ["Group", "First: in person + early", "Final: in person + early", "Viability", "Delegates", this.headline.abbreviation]
      : ["Group", "First", "Final", "Viability", "Delegates", this.headline.abbreviation];
    const viabilityColumn = heads.indexOf("Viability");
    replace(this.mathBox,
      el("p", {}, `Viability threshold: `, el("strong", { class: "num" }, a.viabilityThreshold), ` of ${a.attendees} participants · ${a.delegates} delegates to elect`),
      early ? el("p", { class: "muted small" },
        `Early vote: ${early.cards} cards (${early.void} void, ${early.left} with no viable choice), merged into both alignments.`) : null,
      // Wide with an early vote: the table scrolls inside its own box, which the keyboard can reach and scroll.
      el("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "The math, per group" }, el("table", {},
        el("caption", { class: "visually-hidden" }, "Delegates as the rules give them"),
        el("thead", {}, el("tr", {},
          ...heads.map((h, i) => el("th", { scope: "col", class: i === 0 || i === viabilityColumn ? null : "num", title: i === heads.length - 1 ? this.headline.name : null }, h)))),
        el("tbody", {}, rows))),
      el("p", { class: a.status === "pending-tie-break" ? "message warn" : "muted" }, status),
      result.warnings.length === 0 ? null : el("ul", { class: "list" },
        result.warnings.map((w) => el("li", { class: "message warn" }, w.message))));
  }

  /** A value in the headline unit as the party shows it: SDEs to 4 decimals as sent, whole delegates (CCDs) as integers. */
  unit(value) {
    return this.headline.weightedByCounty ? value : String(Math.round(Number(value)));
  }

  /** What the operator reads back to the caller before sending. */
  readBack() {
    const body = this.body();
    if (!body || !this.precinct) return null;
    const groups = Object.keys(body.final);
    const list = (round) => groups.map((g) => `${g} ${body[round][g]}`).join(", ") || "nobody";
    const lines = [
      `${this.precinct.county}, ${this.precinct.name} — ${this.precinct.delegates} delegates.`,
      `Attendance ${body.attendees}.`,
      `First alignment: ${list("first")}.`,
      `Final alignment: ${list("final")}.`,
    ];
    if (body.early) lines.push(`Early vote: ${body.early.map((r) => `${r.count} × ${r.choices.join(" > ")}`).join("; ")}.`);
    if (body.tieBreaks) lines.push(this.tie.readBack(body.tieBreaks[0]));
    const a = this.preview?.allocation;
    if (a) {
      const delegates = Object.entries(a.countyDelegates).filter(([, n]) => n > 0).map(([g, n]) => `${g} ${n}`).join(", ");
      lines.push(`That gives: ${delegates || "no delegates"}.`);
    }
    return lines.join("\n");
  }
}

function previewProblem(error) {
  if (error instanceof ApiError && error.status === 404 && !error.problem?.detail?.includes("precinct")) {
    return "The live math is not available from this server yet (no preview); the report can still be sent.";
  }
  if (error instanceof ApiError && error.status === 400) return `Check the numbers: ${error.message}`;
  return `The live math is unavailable: ${error.message}`;
}

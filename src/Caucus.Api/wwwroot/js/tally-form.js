// The tally entry form shared by the hotline console, the report page and the admin page's corrections, rendered from
// the election's rule set (GET /api/v1/election: form and headline): attendance, first and final alignment per group,
// the early-vote cards where the rule set has an early vote, the outcome of a tie the rules leave to chance as the rule
// set records it, and the math as the server computes it (POST …/preview on every change). The page never computes
// delegates itself.
import { api, ApiError, precinctPath } from "./api.js";
import { el, replace, debounce } from "./dom.js";
import { TieInput } from "./tie-input.js";
import { mathView } from "./math-view.js";
import { EarlyVoteInput } from "./early-vote-input.js";
import { OpenGroupRows } from "./open-group-rows.js";

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
    // One round (a secret ballot): one column of votes, which is also the first count; no alignment to compare.
    this.oneRound = Boolean(this.form.oneRound);
    const id = (name) => `${idPrefix}-${name}`;

    this.attendees = el("input", { id: id("attendees"), inputmode: "numeric", autocomplete: "off", class: "num", "aria-describedby": id("attendees-hint") });
    const attendance = el("div", { class: "field" },
      el("label", { for: id("attendees") }, this.form.attendeesLabel),
      this.attendees,
      el("span", { id: id("attendees-hint"), class: "muted" }, this.oneRound ? "Ballots in the box, as counted." : "Whole people, as the head count was taken."));

    this.inputs = new Map();
    const rows = this.candidates.map((group, index) => {
      const final = el("input", { id: id(`final-${index}`), inputmode: "numeric", autocomplete: "off", "data-group": group, "data-round": "final" });
      const finalCell = el("td", {}, el("label", { for: final.id, class: "visually-hidden" }, `${group}, ${this.form.finalLabel.toLowerCase()}`), final);
      if (this.oneRound) {
        this.inputs.set(group, { first: null, final });
        return el("tr", {}, el("th", { scope: "row" }, group), finalCell);
      }
      const first = el("input", { id: id(`first-${index}`), inputmode: "numeric", autocomplete: "off", "data-group": group, "data-round": "first" });
      this.inputs.set(group, { first, final });
      return el("tr", {},
        el("th", { scope: "row" }, group),
        el("td", {}, el("label", { for: first.id, class: "visually-hidden" }, `${group}, ${this.form.firstLabel.toLowerCase()}`), first),
        finalCell);
    });
    const heads = this.oneRound ? [this.form.finalLabel] : [this.form.firstLabel, this.form.finalLabel];
    const tbody = el("tbody", {}, rows);
    const table = el("table", { class: "tally" },
      el("caption", { class: "visually-hidden" }, this.oneRound ? "Votes per candidate" : "Alignment counts per group"),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, this.oneRound ? "Candidate" : "Group"), ...heads.map((h) => el("th", { scope: "col" }, h)))),
      tbody);
    // Open groups (named on the night): the candidates are suggestions, and rows for other names are added.
    this.open = this.form.openGroups
      ? new OpenGroupRows(tbody, { idPrefix, labels: this.form, onChange: () => this.changed(), onLast: () => this.onComplete?.() })
      : null;

    const earlyBox = el("div");
    this.early = this.form.earlyVote
      ? new EarlyVoteInput(earlyBox, { candidates: this.candidates, form: this.form.earlyVote, idPrefix, onChange: () => this.changed() })
      : null;
    const tossBox = el("div", { class: "toss", "aria-live": "polite" });
    this.tie = new TieInput(tossBox, { method: this.form.ties, idPrefix, onChange: () => this.refresh() });
    this.mathBox = el("div", { class: "math", "aria-live": "polite" });
    replace(root, attendance, table, this.open?.button, earlyBox, tossBox);
    this.mathRoot = this.mathBox;

    // Keyboard-first: Enter moves on, in reading order: attendance, every first count, then every final count.
    this.order = [this.attendees, ...this.candidates.map((g) => this.inputs.get(g).first).filter(Boolean), ...this.candidates.map((g) => this.inputs.get(g).final)];
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
      if (first) first.value = "";
      final.value = "";
    }
    this.open?.clear();
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
      if (inputs.first) inputs.first.value = first[group] ? String(first[group]) : "";
      inputs.final.value = final[group] ? String(final[group]) : "";
    }
    this.open?.clear();
    for (const group of new Set([...Object.keys(first), ...Object.keys(final)])) {
      if (this.open && !this.inputs.has(group)) this.open.add(group, first[group] ? String(first[group]) : "", final[group] ? String(final[group]) : "");
    }
    this.changed();
  }

  focusFirst() {
    this.attendees.focus();
  }

  changed() {
    for (const input of [...this.order, ...(this.open?.counts ?? []), ...(this.early?.counts ?? [])]) {
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
      const l = whole(inputs.final);
      const f = inputs.first ? whole(inputs.first) : l;
      if (Number.isNaN(f) || Number.isNaN(l)) return null;
      if (f > 0 || l > 0) {
        first[group] = f;
        final[group] = l;
      }
    }
    if (this.open) {
      if (!this.open.checkNames()) return null;
      for (const { name, first: f, final: l } of this.open.entries()) {
        const [a, b] = [whole(f), whole(l)];
        if (Number.isNaN(a) || Number.isNaN(b)) return null;
        first[name] = (first[name] ?? 0) + a;
        final[name] = (final[name] ?? 0) + b;
      }
    }
    const body = this.oneRound ? { attendees, final, source: this.source() } : { attendees, first, final, source: this.source() };
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
    replace(this.mathBox, ...mathView(result, body, { candidates: this.candidates, headline: this.headline, ties: this.form.ties, oneRound: this.oneRound }));
  }

  /** What the operator reads back to the caller before sending. */
  readBack() {
    const body = this.body();
    if (!body || !this.precinct) return null;
    const groups = Object.keys(body.final);
    const list = (round) => groups.map((g) => `${g} ${body[round][g]}`).join(", ") || "nobody";
    if (this.oneRound) {
      // A unit elects no delegate: its votes are the whole report.
      return [`${this.precinct.county}, ${this.precinct.name}.`, `Ballots cast ${body.attendees}.`, `Votes: ${list("final")}.`].join("\n");
    }
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

// The tally entry form shared by the hotline console and the report page: attendance, first and final
// alignment per group, the toss outcome when the rules leave one to chance, and the math as the server
// computes it (POST …/preview on every change). The page never computes delegates itself.
import { api, ApiError, precinctPath } from "./api.js";
import { el, replace, debounce } from "./dom.js";

export class TallyForm {
  /**
   * root: an element to build the form in. candidates: the election's groups, in ballot order.
   * onComplete: Enter in the last field. onPreview(result|null): after each answer.
   */
  constructor(root, { candidates, token, source, idPrefix, onComplete, onPreview }) {
    this.candidates = candidates;
    this.token = token;
    this.source = source;
    this.onComplete = onComplete;
    this.onPreview = onPreview;
    this.precinct = null;
    this.toss = null; // { groups, delegates, description, winners: [] }
    this.preview = null;
    this.sequence = 0;
    this.idPrefix = idPrefix;
    const id = (name) => `${idPrefix}-${name}`;

    this.attendees = el("input", { id: id("attendees"), inputmode: "numeric", autocomplete: "off", class: "num", "aria-describedby": id("attendees-hint") });
    const attendance = el("div", { class: "field" },
      el("label", { for: id("attendees") }, "Attendance (eligible attendees at first count)"),
      this.attendees,
      el("span", { id: id("attendees-hint"), class: "muted" }, "Whole people, as the head count was taken."));

    this.inputs = new Map();
    const rows = this.candidates.map((group, index) => {
      const first = el("input", { id: id(`first-${index}`), inputmode: "numeric", autocomplete: "off", "data-group": group, "data-round": "first" });
      const final = el("input", { id: id(`final-${index}`), inputmode: "numeric", autocomplete: "off", "data-group": group, "data-round": "final" });
      this.inputs.set(group, { first, final });
      return el("tr", {},
        el("th", { scope: "row" }, group),
        el("td", {}, el("label", { for: first.id, class: "visually-hidden" }, `${group}, first alignment`), first),
        el("td", {}, el("label", { for: final.id, class: "visually-hidden" }, `${group}, final alignment`), final));
    });
    const table = el("table", { class: "tally" },
      el("caption", { class: "visually-hidden" }, "Alignment counts per group"),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Group"), el("th", { scope: "col" }, "First"), el("th", { scope: "col" }, "Final"))),
      el("tbody", {}, rows));

    this.tossBox = el("div", { class: "toss", "aria-live": "polite" });
    this.mathBox = el("div", { class: "math", "aria-live": "polite" });
    replace(root, attendance, table, this.tossBox);
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
    this.toss = null;
    this.preview = null;
    this.renderToss();
    replace(this.mathBox, el("p", { class: "muted" }, "The math appears here as the numbers are entered."));
    this.onPreview?.(null);
  }

  /** Fills in a report's numbers (an admin's correction starts from what was sent), then asks for the math. */
  fill({ attendees, first, final }) {
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
    for (const input of this.order) {
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
    if (this.toss && this.toss.winners.length === this.toss.delegates) {
      body.tieBreaks = [{ groups: this.toss.groups, winners: this.toss.winners }];
    }
    return body;
  }

  /** True when the rules leave a toss to chance and its outcome has not been entered yet. */
  get tossMissing() {
    return this.toss !== null && this.toss.winners.length !== this.toss.delegates;
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
    this.followToss(result);
    if (hadTieBreaks && this.toss === null) {
      // The numbers changed and the recorded toss no longer applies: ask again without it.
      this.refresh();
      return;
    }
    this.preview = result;
    this.renderMath(result, body);
    this.onPreview?.(result);
  }

  /** Keeps the toss question while the server says the rules leave one to chance (or applied the answer). */
  followToss(result) {
    const pending = result.pendingTieBreak;
    const same = (a, b) => a && b && a.groups.join("|") === b.groups.join("|");
    if (pending) {
      if (!same(this.toss, pending)) this.toss = { groups: pending.groups, delegates: pending.delegates, description: pending.description, winners: [] };
    } else if (!(this.toss && result.allocation?.status === "tie-broken")) {
      this.toss = null;
    }
    this.renderToss();
  }

  renderToss() {
    if (!this.toss) {
      replace(this.tossBox);
      return;
    }
    const toss = this.toss;
    const single = toss.delegates === 1;
    // The prefix keeps two forms on one page (the admin page's corrections) from sharing a radio group.
    const name = `${this.idPrefix}-toss-${toss.groups.join("-")}`;
    const choices = toss.groups.map((group, index) => {
      const id = `${name}-${index}`;
      const input = el("input", { type: single ? "radio" : "checkbox", id, name, value: group, checked: toss.winners.includes(group) });
      input.addEventListener("change", () => {
        toss.winners = toss.groups.filter((_, i) => document.getElementById(`${name}-${i}`).checked);
        this.refresh();
      });
      return el("span", {}, input, " ", el("label", { for: id }, group));
    });
    replace(this.tossBox, el("fieldset", {},
      el("legend", {}, single ? "Who won the toss?" : `Who won the toss? Pick ${toss.delegates}.`),
      el("p", {}, `The rules leave this to a game of chance: ${toss.description}.`),
      choices));
  }

  renderMath(result, body) {
    const a = result.allocation;
    const rows = Object.keys(body.final).map((group) => {
      const viable = a.viableGroups.includes(group);
      return el("tr", {},
        el("th", { scope: "row" }, group),
        el("td", { class: "num" }, body.first[group]),
        el("td", { class: "num" }, body.final[group]),
        el("td", { class: viable ? "yes" : "no" }, viable ? "viable" : "not viable"),
        el("td", { class: "num" }, a.countyDelegates[group] ?? 0),
        el("td", { class: "num" }, a.sde?.[group] ?? "—"));
    });
    const status = {
      decided: "Decided by the rules.",
      "tie-broken": "Decided, with the toss as entered.",
      "pending-tie-break": "Provisional: a toss decides part of it (enter who won).",
    }[a.status] ?? a.status;
    replace(this.mathBox,
      el("p", {}, `Viability threshold: `, el("strong", { class: "num" }, a.viabilityThreshold), ` of ${a.attendees} attendees · ${a.delegates} delegates to elect`),
      el("table", {},
        el("caption", { class: "visually-hidden" }, "Delegates as the rules give them"),
        el("thead", {}, el("tr", {},
          ...["Group", "First", "Final", "Viability", "Delegates", "SDE"].map((h, i) => el("th", { scope: "col", class: i === 0 || i === 3 ? null : "num" }, h)))),
        el("tbody", {}, rows)),
      el("p", { class: a.status === "pending-tie-break" ? "message warn" : "muted" }, status),
      result.warnings.length === 0 ? null : el("ul", { class: "list" },
        result.warnings.map((w) => el("li", { class: "message warn" }, w.message))));
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
    if (body.tieBreaks) lines.push(`Toss: ${body.tieBreaks[0].winners.join(" and ")} won (among ${body.tieBreaks[0].groups.join(", ")}).`);
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

// The hotline's numbers form: attendance, then only the groups the caller names, each added by typing the first letters
// of its name (an unambiguous prefix) and Enter — or straight on into its first-alignment count ("sa53"), since a digit
// can only be a count. One keyboard order for Enter and Tab: attendance, each group's first then final count (across
// the row, the way a caller reads "Sanders, 53 then 60"), then the next group's name; Enter on an empty name is "that's
// all". Live column totals against attendance; every field that is not a whole number is marked and named.
import { el, replace } from "./dom.js";
import { EarlyVoteInput } from "./early-vote-input.js";

export class HotlineEntry {
  /** root: the form element. election: GET /api/v1/election. onChange: after every edit. onDone: Enter on an empty name. */
  constructor(root, { election, onChange, onDone }) {
    this.candidates = election.candidates;
    this.labels = election.form;
    // Open groups (form.openGroups): a name no suggestion matches is a new group, as the caller says it.
    this.openGroups = election.form.openGroups === true;
    this.made = 0;
    this.onChange = onChange;
    this.onDone = onDone;
    // One round (a secret ballot): each row is one count, the votes (`final`); `first` is null.
    this.oneRound = Boolean(this.labels.oneRound);
    // What the operator adds: a candidate where one round of votes is counted (no groups form), else a group.
    this.addWhat = this.oneRound ? "candidate" : "group";
    this.rows = []; // { group, first, final, tr }

    this.attendees = el("input", { id: "hotline-attendees", inputmode: "numeric", autocomplete: "off", class: "num", "aria-describedby": "hotline-attendees-hint" });
    this.body = el("tbody");
    this.totals = { first: el("td", { class: "num" }, "0"), final: el("td", { class: "num" }, "0") };
    this.totalsNote = el("p", { id: "hotline-totals", class: "totals muted", "aria-live": "polite" });
    this.add = el("input", { id: "hotline-add", autocomplete: "off", "aria-describedby": "hotline-add-hint", spellcheck: "false" });
    this.problems = el("ul", { id: "hotline-problems", class: "problems list" });
    const earlyBox = el("div");
    this.early = this.labels.earlyVote
      ? new EarlyVoteInput(earlyBox, { candidates: this.candidates, form: this.labels.earlyVote, idPrefix: "hotline", onChange: () => this.changed() })
      : null;

    replace(root,
      el("div", { class: "field attendance" },
        el("label", { for: this.attendees.id }, this.labels.attendeesLabel),
        this.attendees,
        el("span", { id: "hotline-attendees-hint", class: "muted small" }, this.oneRound ? "Ballots in the box, as counted." : "Whole people, as the head count was taken.")),
      el("table", { class: "tally hotline-groups" },
        el("caption", { class: "visually-hidden" }, "The groups the caller named, with their counts"),
        el("thead", {}, el("tr", {}, el("th", { scope: "col" }, this.oneRound ? "Candidate" : "Group"),
          this.oneRound ? null : el("th", { scope: "col", class: "num" }, this.labels.firstLabel), el("th", { scope: "col", class: "num" }, this.labels.finalLabel))),
        this.body,
        el("tfoot", {}, el("tr", {}, el("th", { scope: "row" }, "Total"), this.oneRound ? null : this.totals.first, this.totals.final))),
      this.totalsNote,
      el("div", { class: "field add-group" },
        el("label", { for: this.add.id }, this.openGroups ? "Add a subcaucus: its name, then Enter" : `Add a ${this.addWhat}: its first letters, then Enter`),
        this.add,
        el("span", { id: "hotline-add-hint", class: "muted small" }, this.openGroups
          ? "A suggested name by its first letters, or any new name in full. Enter on an empty line: the caller is done."
          : "Or type its count straight after the letters (“sa53”). Enter on an empty line: the caller is done.")),
      this.problems,
      earlyBox);

    this.attendees.addEventListener("input", () => this.changed());
    this.attendees.addEventListener("keydown", (event) => this.onKey(event));
    this.add.addEventListener("input", () => this.typedName());
    this.add.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      if (this.add.value.trim() === "") this.onDone?.();
      else this.takeName(this.add.value.trim(), "");
    });
  }

  /** The one order Enter walks (and Tab, by document order): attendance, each row's first then final, the name field. */
  get order() {
    return [this.attendees, ...this.rows.flatMap((r) => [r.first, r.final].filter(Boolean)), this.add];
  }

  onKey(event) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const order = this.order;
    order[order.indexOf(event.target) + 1]?.focus();
  }

  clear() {
    this.attendees.value = "";
    this.add.value = "";
    this.nameProblem = null;
    this.rows = [];
    this.body.replaceChildren();
    this.early?.clear();
    this.changed();
  }

  focusFirst() {
    this.attendees.focus();
  }

  /** "sa53": an unambiguous prefix followed by a count adds the group with that count and carries on in its row. */
  typedName() {
    // A subcaucus's name may hold digits ("Ward 5 Housing"): no count shortcut where names are open.
    const match = this.openGroups ? null : /^\s*([^\d\s][^\d]*?)\s*(\d+)$/.exec(this.add.value);
    if (match) {
      this.takeName(match[1], match[2]);
      return;
    }
    // Still typing a name: a problem with the last attempt is judged again at Enter.
    this.nameProblem = null;
    this.changed();
  }

  takeName(prefix, digits) {
    const wanted = prefix.toLowerCase().replace(/\s+/g, " ");
    const known = [...this.candidates, ...this.rows.map((r) => r.group).filter((g) => !this.candidates.includes(g))];
    const exact = known.find((c) => c.toLowerCase() === wanted);
    let found = exact ? [exact] : this.candidates.filter((c) => c.toLowerCase().startsWith(wanted));
    if (this.openGroups && found.length !== 1) found = [prefix.trim().replace(/\s+/g, " ")];
    if (found.length !== 1) {
      this.nameProblem = found.length === 0
        ? `Add a ${this.addWhat}: no ${this.addWhat}'s name starts with “${prefix}”.`
        : `Add a ${this.addWhat}: “${prefix}” could be ${list(found)}; type more letters.`;
      this.changed();
      return;
    }
    this.nameProblem = null;
    const row = this.rows.find((r) => r.group === found[0]) ?? this.addRow(found[0]);
    this.add.value = "";
    const count = row.first ?? row.final;
    if (digits) count.value = digits;
    count.focus();
    // The caret after the carried digits, so the next digit the operator types extends the count.
    count.setSelectionRange(count.value.length, count.value.length);
    this.changed();
  }

  addRow(group) {
    const index = this.candidates.includes(group) ? this.candidates.indexOf(group) : `open-${this.made++}`;
    const input = (round, label) => el("input", {
      id: `hotline-${round}-${index}`, inputmode: "numeric", autocomplete: "off", class: "num", "data-group": group, "data-round": round,
      "aria-label": `${group}, ${label.toLowerCase()}`,
    });
    const row = { group, first: this.oneRound ? null : input("first", this.labels.firstLabel), final: input("final", this.labels.finalLabel) };
    row.tr = el("tr", { "data-group": group }, el("th", { scope: "row" }, group), row.first ? el("td", {}, row.first) : null, el("td", {}, row.final));
    for (const field of [row.first, row.final].filter(Boolean)) {
      field.addEventListener("input", () => this.changed());
      field.addEventListener("keydown", (event) => this.onKey(event));
    }
    this.rows.push(row);
    this.body.append(row.tr);
    return row;
  }

  /** Each field's name as the operator knows it, for the messages. */
  fieldName(input) {
    if (input === this.attendees) return this.labels.attendeesLabel;
    return input.getAttribute("aria-label") ?? input.id;
  }

  changed() {
    const problems = [];
    for (const input of [...this.order.slice(0, -1), ...(this.early?.counts ?? [])]) {
      const raw = input.value.trim();
      const bad = raw !== "" && !/^\d+$/.test(raw);
      input.setAttribute("aria-invalid", bad ? "true" : "false");
      const messageId = `${input.id}-problem`;
      const described = (input.getAttribute("aria-describedby") ?? "").split(" ").filter((id) => id && id !== messageId);
      if (bad) {
        const letterO = /[oO]/.test(raw) ? " (a letter O where a zero was meant?)" : "";
        problems.push(el("li", { id: messageId, class: "message bad" }, `${this.fieldName(input)}: “${raw}” is not a whole number${letterO}.`));
        described.push(messageId);
      }
      if (described.length > 0) input.setAttribute("aria-describedby", described.join(" "));
      else input.removeAttribute("aria-describedby");
    }
    this.add.setAttribute("aria-invalid", this.nameProblem ? "true" : "false");
    if (this.nameProblem) {
      problems.push(el("li", { id: "hotline-add-problem", class: "message bad" }, this.nameProblem));
      this.add.setAttribute("aria-describedby", "hotline-add-hint hotline-add-problem");
    } else {
      this.add.setAttribute("aria-describedby", "hotline-add-hint");
    }
    replace(this.problems, problems);
    this.problems.hidden = problems.length === 0;
    this.showTotals();
    this.onChange?.();
  }

  /** The two column totals against attendance, as typed (fields that are not numbers are left out and marked). */
  showTotals() {
    const whole = (input) => (input && /^\d+$/.test(input.value.trim()) ? Number(input.value.trim()) : 0);
    const sum = (round) => this.rows.reduce((total, r) => total + whole(r[round]), 0);
    const first = sum("first");
    const final = sum("final");
    this.totals.first.textContent = String(first);
    this.totals.final.textContent = String(final);
    const attendance = this.attendees.value.trim();
    this.totals.first.classList.remove("over");
    this.totals.final.classList.remove("over");
    if (!/^\d+$/.test(attendance) || this.rows.length === 0) {
      this.totalsNote.textContent = "Totals are checked against attendance as they are typed.";
      this.totalsNote.className = "totals muted";
      return;
    }
    const a = Number(attendance);
    this.totals.first.classList.toggle("over", first > a);
    this.totals.final.classList.toggle("over", final > a);
    const who = this.oneRound ? "ballots cast" : "attendees";
    const say = (label, total) => (total === a ? `${label} ${total}: all ${a} ${who}` : total > a
      ? `${label} ${total}: ${total - a} more than the ${a} ${who}` : `${label} ${total}: ${a - total} fewer than the ${a} ${who}`);
    this.totalsNote.textContent = this.oneRound ? `${say(this.labels.finalLabel, final)}.`
      : `${say(this.labels.firstLabel, first)} · ${say(this.labels.finalLabel, final)}.`;
    this.totalsNote.className = first > a || final > a ? "totals message bad" : "totals muted";
  }

  /** Names of the fields that are wrong now, or [] when every field is a whole number or empty. */
  get invalidFields() {
    const bad = [...this.order.slice(0, -1), ...(this.early?.counts ?? [])].filter((i) => i.getAttribute("aria-invalid") === "true").map((i) => this.fieldName(i));
    return this.nameProblem ? [...bad, `Add a ${this.addWhat}`] : bad;
  }

  /** { attendees, first, final, early? } as typed, or null while attendance is missing or any field is not a number. */
  numbers() {
    if (this.invalidFields.length > 0 || !/^\d+$/.test(this.attendees.value.trim())) return null;
    const whole = (input) => (input.value.trim() === "" ? 0 : Number(input.value.trim()));
    const first = {};
    const final = {};
    for (const row of this.rows) {
      const l = whole(row.final);
      const f = row.first ? whole(row.first) : l;
      if (f > 0 || l > 0) {
        first[row.group] = f;
        final[row.group] = l;
      }
    }
    const numbers = this.oneRound ? { attendees: Number(this.attendees.value.trim()), final }
      : { attendees: Number(this.attendees.value.trim()), first, final };
    if (this.early) {
      const early = this.early.value();
      if (early === null) return null;
      if (early.length > 0) numbers.early = early;
    }
    return numbers;
  }
}

function list(names) {
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}

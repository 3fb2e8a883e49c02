// Rows for groups a report names itself, where the rule set's groups are open (form.openGroups: a walking subcaucus's
// subcaucuses are created on the night; the election's candidates are only suggestions). Each row is a name field and
// its two counts, all labelled; Enter walks name → first → final → the next row (or the form's next step).
import { el } from "./dom.js";

/** A name as the server keeps it: trimmed, each run of inner whitespace one space. */
export function tidyName(name) {
  return name.trim().replace(/\s+/g, " ");
}

export class OpenGroupRows {
  /** tbody: where rows go. labels: the form's first and final labels. onChange: after an edit. onLast: Enter in the last field. */
  constructor(tbody, { idPrefix, labels, onChange, onLast }) {
    this.tbody = tbody;
    this.idPrefix = idPrefix;
    this.labels = labels;
    this.onChange = onChange;
    this.onLast = onLast;
    this.rows = [];
    this.made = 0;
    this.button = el("button", { type: "button", class: "secondary add-group", id: `${idPrefix}-add-group` }, "Add a subcaucus");
    this.button.addEventListener("click", () => this.add().name.focus());
  }

  /** Adds a row (filled in when a report is loaded) and returns it. */
  add(name = "", first = "", final = "") {
    const n = this.made++;
    const id = (part) => `${this.idPrefix}-open-${n}-${part}`;
    const input = (part, attributes) => el("input", { id: id(part), autocomplete: "off", ...attributes });
    const row = {
      name: input("name", { maxlength: "60", spellcheck: "false", class: "group-name" }),
      first: input("first", { inputmode: "numeric", class: "num" }),
      final: input("final", { inputmode: "numeric", class: "num" }),
    };
    row.name.value = name;
    row.first.value = first;
    row.final.value = final;
    const label = (field, text) => el("label", { for: field.id, class: "visually-hidden" }, text);
    const named = () => tidyName(row.name.value) || "the new subcaucus";
    row.tr = el("tr", { class: "open-group" },
      el("th", { scope: "row" }, label(row.name, `Subcaucus name (row ${n + 1})`), row.name),
      el("td", {}, label(row.first, `${this.labels.firstLabel} of the subcaucus in row ${n + 1}`), row.first),
      el("td", {}, label(row.final, `${this.labels.finalLabel} of the subcaucus in row ${n + 1}`), row.final));
    const fields = [row.name, row.first, row.final];
    fields.forEach((field, index) => {
      field.addEventListener("input", () => this.onChange());
      field.addEventListener("keydown", (event) => {
        if (event.key !== "Enter") return;
        event.preventDefault();
        const next = fields[index + 1] ?? this.rows[this.rows.indexOf(row) + 1]?.name;
        if (next) next.focus();
        else this.onLast?.();
      });
    });
    row.describe = named;
    this.rows.push(row);
    this.tbody.append(row.tr);
    return row;
  }

  clear() {
    for (const row of this.rows) row.tr.remove();
    this.rows = [];
  }

  /** The count fields, for the form's whole-number check. */
  get counts() {
    return this.rows.flatMap((r) => [r.first, r.final]);
  }

  /** Rows with a name or a count: { name, first, final } as typed (names tidied). */
  entries() {
    return this.rows.map((r) => ({ name: tidyName(r.name.value), first: r.first, final: r.final, row: r }))
      .filter((e) => e.name !== "" || e.first.value.trim() !== "" || e.final.value.trim() !== "");
  }

  /** Marks a row whose counts have no name (the server needs one); true when every row with counts is named. */
  checkNames() {
    let ok = true;
    for (const e of this.entries()) {
      const missing = e.name === "";
      e.row.name.setAttribute("aria-invalid", missing ? "true" : "false");
      if (missing) ok = false;
    }
    return ok;
  }
}

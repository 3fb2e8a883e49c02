// The early vote of a precinct, where the election's rule set has one (election.form.earlyVote): the number of
// preference cards cast with each ranking, first choice first. The server merges them into the alignments.
import { el, replace } from "./dom.js";

export class EarlyVoteInput {
  /** root: where the fieldset goes. form: election.form.earlyVote ({fewestChoices, mostChoices}). */
  constructor(root, { candidates, form, idPrefix, onChange }) {
    this.candidates = candidates;
    this.form = form;
    this.idPrefix = idPrefix;
    this.onChange = onChange;
    this.rows = [];
    this.list = el("div", { class: "early-rows" });
    const add = el("button", { type: "button", class: "secondary" }, "Add a ranking");
    add.addEventListener("click", () => {
      this.addRow();
      this.rows.at(-1).count.focus();
    });
    replace(root, el("fieldset", { class: "early" },
      el("legend", {}, "Early vote: preference cards by ranking"),
      el("p", { class: "muted small" },
        `One line per ranking: how many cards, and their choices in order (${form.fewestChoices} to ${form.mostChoices}; ` +
        `a card with fewer than ${form.fewestChoices} different choices is void). The server merges them into both alignments.`),
      this.list, add));
    this.addRow();
  }

  addRow(ranking = null) {
    const index = this.rows.length;
    const id = (name) => `${this.idPrefix}-early-${index}-${name}`;
    const count = el("input", { id: id("count"), inputmode: "numeric", autocomplete: "off", class: "num", value: ranking ? String(ranking.count) : "" });
    const choices = Array.from({ length: this.form.mostChoices }, (_, i) =>
      el("select", { id: id(`choice-${i}`) }, el("option", { value: "" }, "—"),
        this.candidates.map((c) => el("option", { value: c, selected: ranking?.choices?.[i] === c }, c))));
    for (const input of [count, ...choices]) input.addEventListener(input === count ? "input" : "change", () => this.onChange?.());
    this.rows.push({ count, choices });
    this.list.append(el("div", { class: "early-row" },
      el("label", { for: count.id }, `Cards`), count,
      choices.flatMap((select, i) => [el("label", { for: select.id, class: "visually-hidden" }, `Ranking ${index + 1}, choice ${i + 1}`), select])));
  }

  clear() {
    this.rows = [];
    this.list.replaceChildren();
    this.addRow();
  }

  fill(rankings) {
    this.rows = [];
    this.list.replaceChildren();
    for (const r of rankings ?? []) this.addRow(r);
    this.addRow();
  }

  /** The inputs, for marking bad ones. */
  get counts() {
    return this.rows.map((r) => r.count);
  }

  /** [{choices, count}] for the report body; null when a line is not a whole number or has cards but no choice. */
  value() {
    const out = [];
    for (const { count, choices } of this.rows) {
      const text = count.value.trim();
      const picked = choices.map((s) => s.value).filter((v) => v !== "");
      if (text === "" && picked.length === 0) continue;
      if (!/^\d+$/.test(text) || picked.length === 0) return null;
      if (Number(text) > 0) out.push({ choices: picked, count: Number(text) });
    }
    return out;
  }
}

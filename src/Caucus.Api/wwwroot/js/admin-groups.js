// The admin page's group names, where the rule set's groups are open (form.openGroups: a walking subcaucus's
// subcaucuses are named by the reports): every spelling the counted reports use with how many precincts use it and the
// group the war room shows it under, a merge of one spelling into another, and the merges that stand, each undoable.
// A merge changes only how the war room adds precincts up; GET /api/v1/groups also lists every action (the audit).
import { api } from "./api.js";
import { byId, el, replace } from "./dom.js";

export class GroupNames {
  constructor({ token, refused, refuse }) {
    this.token = token;
    this.refused = refused;
    this.refuse = refuse;
    this.version = null;
    byId("groups-panel").hidden = false;
    byId("merge-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.act("/api/v1/groups/merge", { from: byId("merge-from").value, into: byId("merge-into").value });
    });
  }

  async refresh() {
    let doc;
    try {
      doc = await api("/api/v1/groups", { token: this.token });
    } catch (error) {
      if (this.refused(error)) this.refuse();
      byId("groups-summary").textContent = `The group names could not be loaded (${error.message}).`;
      return;
    }
    this.version = doc.version;
    this.render(doc);
  }

  render(doc) {
    const n = doc.spellings.length;
    byId("groups-summary").textContent = n === 0
      ? "No report has named a group yet."
      : `${n} spelling${n === 1 ? "" : "s"} in the counted reports. Merge one into another to add them up as one group.`;
    replace(byId("group-spellings"), n === 0 ? null : el("table", {},
      el("caption", { class: "visually-hidden" }, "Group spellings in the counted reports"),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Spelling"), el("th", { scope: "col", class: "num" }, "Precincts"),
        el("th", { scope: "col" }, "Shown in the war room as"))),
      el("tbody", {}, doc.spellings.map((s) => el("tr", {},
        el("th", { scope: "row" }, s.spelling), el("td", { class: "num" }, String(s.precincts)), el("td", {}, s.group))))));
    for (const id of ["merge-from", "merge-into"]) {
      const select = byId(id);
      const chosen = select.value;
      replace(select, doc.spellings.map((s) => el("option", { value: s.spelling, selected: s.spelling === chosen }, `${s.spelling} (${s.precincts})`)));
    }
    byId("merge-form").hidden = n < 2;
    replace(byId("group-merges"), doc.merges.length === 0 ? el("li", { class: "muted" }, "No spelling is merged.") : doc.merges.map((m) => {
      const undo = el("button", { type: "button", class: "secondary" }, `Unmerge “${m.from}”`);
      undo.addEventListener("click", () => this.act("/api/v1/groups/unmerge", { from: m.from }));
      return el("li", {}, `“${m.from}” adds up under “${m.into}”. `, undo);
    }));
  }

  async act(path, body) {
    const message = byId("groups-message");
    try {
      await api(path, { token: this.token, method: "POST", body });
      message.className = "message ok";
      message.textContent = body.into ? `Merged “${body.from}” into “${body.into}”.` : `Unmerged “${body.from}”.`;
    } catch (error) {
      if (this.refused(error)) this.refuse();
      message.className = "message bad";
      message.textContent = error.message;
    }
    message.hidden = false;
    await this.refresh();
  }
}

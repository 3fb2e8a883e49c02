// Certification on the admin page: a live checklist of what certifying needs (every precinct reporting, no game of
// chance pending, no open review item that could change a count, not test mode), updated from the stream and the queue; Certify asks first and
// says exactly what is being certified (the results version, precincts reporting, the leader and the headline totals),
// and only Confirm sends it, naming that version (If-Match). A refusal stays on screen only while the state it
// described is the state on screen: once the checklist changes it is replaced by a note saying so.
import { ApiError, api } from "./api.js";
import { byId, el, replace, time } from "./dom.js";
import { plural, statusLabels } from "./admin-labels.js";
import { gamesName } from "./tie-input.js";

export class Certification {
  constructor(ctx) {
    this.ctx = ctx;
    this.results = null;
    this.queue = null; // { blocking, others } from the review queue; null until it has loaded
    this.refusedAt = null; // the checklist's signature when the server refused
    this.dialog = byId("certify-dialog");
    byId("certify-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.ask();
    });
    byId("certify-cancel").addEventListener("click", () => this.dialog.close("cancel"));
    byId("certify-confirm").addEventListener("click", () => this.certify());
    this.dialog.addEventListener("close", () => byId("certify").focus());
  }

  /** A results document (GET /api/v1/results or the stream's results event). */
  showResults(results) {
    this.results = results;
    const box = byId("certify-status");
    box.dataset.status = results.status;
    replace(box,
      el("strong", {}, `${statusLabels[results.status] ?? results.status}${results.test ? " (test mode: never certifies the night)" : ""}`),
      ` · results version ${results.version}`);
    byId("last-update").textContent = `Last update ${time(results.asOf)} · version ${results.version}`;
    // A success message goes stale too: a later correction reopens the results.
    const done = byId("certify-result").querySelector("[data-outcome='certified']");
    if (done && results.status !== "certified") {
      replace(byId("certify-result"), el("p", { class: "message warn", "data-outcome": "reopened" },
        `Reopened: results version ${results.version} changed what was certified; review it and certify again.`));
    }
    this.renderChecklist();
  }

  /** The open review items, from the queue: those that stop certification (the server's blocksCertification) and the rest. */
  showQueue(items) {
    const blocking = items.filter((i) => i.blocksCertification).length;
    this.queue = { blocking, others: items.length - blocking };
    this.renderChecklist();
  }

  checks() {
    const r = this.results;
    const ties = this.ctx.election.form.ties;
    const missing = r.precincts.total - r.precincts.reporting;
    const pending = r.flags.pendingTieBreaks;
    return [
      { key: "reporting", ok: missing === 0,
        text: missing === 0 ? `Every precinct reporting (${r.precincts.total.toLocaleString()})`
          : `${r.precincts.reporting.toLocaleString()} of ${r.precincts.total.toLocaleString()} precincts reporting: ${missing.toLocaleString()} missing` },
      { key: "ties", ok: pending === 0,
        text: pending === 0 ? `No ${gamesName(ties)} pending` : `${plural(pending, this.ctx.gameName, gamesName(ties))} pending` },
      { key: "review", ok: this.queue?.blocking === 0,
        text: this.queue === null ? "Review queue loading…"
          : (this.queue.blocking === 0 ? "No open review item that could change a count"
            : `${plural(this.queue.blocking, "open review item")} that could change a count`) +
            (this.queue.others > 0 ? ` (not counting ${plural(this.queue.others, "item")} that change${this.queue.others === 1 ? "s" : ""} no count)` : "") },
      { key: "test", ok: !r.test, text: r.test ? "Test mode: a test night is never certified" : "Not test mode" },
    ];
  }

  renderChecklist() {
    if (!this.results) return;
    const checks = this.checks();
    replace(byId("certify-checklist"), checks.map((c) => el("li", { "data-check": c.key, "data-ok": String(c.ok) },
      el("span", { class: "check-mark", "aria-hidden": "true" }, c.ok ? "✓" : "✗"),
      el("span", { class: "visually-hidden" }, c.ok ? "Done: " : "Not yet: "), c.text)));
    const ready = checks.every((c) => c.ok);
    byId("certify-ready").textContent = this.results.status === "certified"
      ? "Certified: a later official correction reopens the results."
      : ready ? "Ready to certify." : "Not ready: certifying now would be refused for the unchecked items.";
    // The refusal described another state: say so instead of leaving it to be read as current.
    const signature = JSON.stringify(checks);
    if (this.refusedAt !== null && this.refusedAt !== signature) {
      this.refusedAt = null;
      replace(byId("certify-result"), el("p", { class: "muted", "data-outcome": "superseded" },
        "The last refusal no longer describes the results: the checklist above has changed since."));
    }
  }

  /** Opens the question, stating exactly what Confirm certifies. */
  ask() {
    const r = this.results;
    if (!r) return;
    this.asked = r;
    const headline = this.ctx.election.headline;
    const ranked = [...r.candidates].sort((a, b) => Number(b.sde) - Number(a.sde)).filter((c) => Number(c.sde) > 0 || c.finalAlignment > 0);
    const leader = ranked[0];
    replace(byId("certify-question"),
      el("p", {}, "You are certifying ", el("strong", { "data-version": String(r.version) }, `results version ${r.version}`),
        `: ${r.precincts.reporting.toLocaleString()} of ${r.precincts.total.toLocaleString()} precincts reporting.`),
      leader ? el("p", {}, `Leader: ${leader.name} with ${leader.sde} ${headline.abbreviation}.`) : el("p", {}, "No candidate has delegates yet."),
      ranked.length ? el("table", { class: "certify-totals" },
        el("caption", { class: "visually-hidden" }, `${headline.name} by candidate`),
        el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Candidate"), el("th", { scope: "col", class: "num" }, headline.abbreviation))),
        el("tbody", {}, ranked.map((c) => el("tr", {}, el("th", { scope: "row" }, c.name), el("td", { class: "num" }, c.sde))))) : null,
      byId("certify-note").value.trim() ? el("p", { class: "muted" }, `Note: ${byId("certify-note").value.trim()}`) : null,
      // Said before Confirm, not after: what the server will refuse for.
      ...this.checks().filter((c) => !c.ok).map((c, i) => el("p", { class: "message bad", "data-unchecked": c.key },
        i === 0 ? "Not ready, the server will refuse: " : "", c.text)));
    this.dialog.showModal();
    byId("certify-cancel").focus();
  }

  async certify() {
    const asked = this.asked;
    this.dialog.close("confirm");
    const result = byId("certify-result");
    const button = byId("certify");
    const note = byId("certify-note").value.trim();
    button.disabled = true;
    replace(result, el("p", { class: "muted" }, "Certifying…"));
    try {
      const answer = await api("/api/v1/admin/certify",
        { token: this.ctx.token, method: "POST", body: { note: note || null }, headers: { "If-Match": `"${asked.version}"` } });
      this.refusedAt = null;
      replace(result, el("p", { class: "message ok", role: "status", "data-outcome": "certified" },
        `Certified results version ${asked.version} at ${time(answer.certifiedAt)}: the results now read ` +
        `“${statusLabels[answer.status] ?? answer.status}”, through commit ${answer.throughSeq}.`));
      this.showResults(await api("/api/v1/results", { token: this.ctx.token }));
    } catch (error) {
      if (this.ctx.refused(error)) this.ctx.refuse();
      // A refusal says why (precincts missing, a toss pending, an open review item, results changed meanwhile), as the
      // server words it; it is kept only while the checklist is the one it was given against.
      if (error instanceof ApiError && error.status === 412) this.showResults(await api("/api/v1/results", { token: this.ctx.token }));
      const why = error instanceof ApiError && [409, 412, 428].includes(error.status)
        ? [el("strong", {}, `${error.problem?.title ?? "Refused"}.`), " ", error.problem?.detail ?? ""]
        : [el("strong", {}, "Not certified."), " ", error.message];
      replace(result, el("p", { class: "message bad", role: "alert", "data-outcome": "refused" }, ...why));
      this.refusedAt = this.results ? JSON.stringify(this.checks()) : null;
    } finally {
      button.disabled = false;
    }
  }
}

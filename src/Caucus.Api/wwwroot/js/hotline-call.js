// One call on the hotline console, from the numbers to Send. The read-back is built only from the server's math for
// exactly the body on screen: each preview answer is tied to the body it was computed for (its JSON), and an answer for
// other numbers is never shown as current. Send stays disabled until that math has returned, the game of chance the
// rules leave open is answered, and each warning is ticked as read to the caller — so a fast Enter cannot send a
// report the operator has not seen the math of.
import { api, ApiError, precinctPath } from "./api.js";
import { el, replace, debounce } from "./dom.js";
import { TieInput } from "./tie-input.js";
import { mathView } from "./math-view.js";

export class HotlineCall {
  constructor({ election, token, entry, elements, onState }) {
    this.election = election;
    this.token = token;
    this.entry = entry;
    this.dom = elements; // { math, toss, box, text, warnings, warningList, waits, submit }
    this.onState = onState;
    this.precinct = null;
    this.math = null; // { key, body, result }
    this.asked = null; // the key of the request in flight
    this.acknowledged = new Set();
    this.readBackWanted = false;
    this.tie = new TieInput(elements.toss, {
      method: election.form.ties,
      idPrefix: "hotline",
      onChange: () => {
        this.update();
        // Answered: focus waits on the read-back and goes to Send once the math with this outcome is back.
        if (this.readBackWanted && !this.tie.missing) this.dom.box.focus();
      },
    });
    this.preview = debounce(() => this.runPreview(), 150);
    this.dom.warningList.addEventListener("change", (event) => this.acknowledge(event.target));
  }

  setPrecinct(precinct) {
    this.precinct = precinct;
    this.math = null;
    this.acknowledged.clear();
    this.readBackWanted = false;
    this.tie.reset();
    this.dom.math.classList.remove("stale");
    replace(this.dom.math, el("p", { class: "muted" }, "The server's math appears here as the numbers are entered."));
    this.update();
  }

  /** The report body as on screen, or null while the numbers are incomplete or wrong. */
  body() {
    const numbers = this.entry.numbers();
    if (!numbers) return null;
    const body = { ...numbers, source: "hotline" };
    const outcome = this.tie.entry();
    if (outcome) body.tieBreaks = [outcome];
    return body;
  }

  /** The math that belongs to these numbers, or null while it has not come back. */
  get currentMath() {
    const body = this.body();
    return body && this.math && this.math.key === JSON.stringify(body) ? this.math : null;
  }

  /** Why Send waits, first reason first; [] when the report may be sent. */
  get waits() {
    if (!this.precinct) return ["choose the precinct"];
    const invalid = this.entry.invalidFields;
    if (invalid.length > 0) return [`correct ${invalid.join(", ")}`];
    const body = this.body();
    if (!body) return [`enter the ${this.election.form.attendeesLabel.toLowerCase()}`];
    if (!this.currentMath) return ["waiting for the server's math for these numbers"];
    const reasons = [];
    if (this.tie.missing) reasons.push(this.tie.missingMessage(true).replace(/\.$/, ""));
    const left = this.currentMath.result.warnings.filter((w) => !this.acknowledged.has(w.message)).length;
    if (left > 0) reasons.push(`tick ${left === 1 ? "the warning" : `each of the ${left} warnings`} once the caller confirms ${left === 1 ? "it" : "them"}`);
    return reasons;
  }

  /** After every edit: stale math is marked stale at once (not when the next answer comes), then asked for again. */
  update() {
    const body = this.body();
    const key = body ? JSON.stringify(body) : null;
    if (this.math && this.math.key !== key) this.dom.math.classList.add("stale");
    if (this.precinct && body && this.math?.key !== key) this.preview();
    this.render();
  }

  async runPreview() {
    const body = this.body();
    if (!this.precinct || !body) return;
    const key = JSON.stringify(body);
    if (this.math?.key === key || this.asked === key) return;
    this.asked = key;
    let result;
    try {
      result = await api(`${precinctPath(this.precinct.id)}/preview`, { token: this.token, method: "POST", body });
    } catch (error) {
      if (this.asked !== key) return;
      this.asked = null;
      replace(this.dom.math, el("p", { class: "message warn" }, previewProblem(error)));
      this.dom.math.classList.remove("stale");
      this.math = null;
      this.render();
      // Unreachable or busy: ask again, so Send follows the server back without an edit.
      if (error instanceof ApiError && error.transient) setTimeout(() => this.update(), 2000);
      return;
    }
    if (this.asked === key) this.asked = null;
    // An answer for numbers no longer on screen is dropped: a newer request is on its way.
    const now = this.body();
    if (!now || JSON.stringify(now) !== key) return;
    const hadTieBreaks = Boolean(body.tieBreaks);
    this.tie.follow(result);
    if (hadTieBreaks && !this.tie.entry()) {
      // The numbers changed and the recorded outcome no longer applies: ask again without it.
      this.update();
      return;
    }
    this.math = { key, body, result };
    for (const message of [...this.acknowledged]) if (!result.warnings.some((w) => w.message === message)) this.acknowledged.delete(message);
    replace(this.dom.math, ...mathView(result, body, { candidates: this.election.candidates, headline: this.election.headline, ties: this.election.form.ties, oneRound: this.election.form.oneRound }));
    this.dom.math.classList.remove("stale");
    this.render();
  }

  /** "That's all" from the caller: show the read-back and move to the first thing still to do. */
  readBack() {
    this.readBackWanted = true;
    this.render();
    this.moveOn();
  }

  acknowledge(box) {
    if (box.checked) this.acknowledged.add(box.value);
    else this.acknowledged.delete(box.value);
    this.render();
    if (box.checked) this.moveOn();
  }

  /** Focus on what the operator must do next: the toss, an unticked warning, or Send. */
  moveOn() {
    if (!this.readBackWanted) return;
    const next = this.tie.missing ? this.dom.toss.querySelector("input, select")
      : this.dom.warningList.querySelector("input:not(:checked)") ?? (this.dom.submit.disabled ? this.dom.box : this.dom.submit);
    next?.focus();
  }

  render() {
    const waits = this.waits;
    const math = this.currentMath;
    const { box, text, warnings, warningList, submit } = this.dom;
    box.hidden = !this.readBackWanted;
    submit.disabled = waits.length > 0;
    this.dom.waits.hidden = waits.length === 0;
    this.dom.waits.textContent = waits.length === 0 ? "" : `Not ready to send: ${waits.join("; ")}.`;
    text.textContent = math ? this.readBackText(math) : "The read-back is built from the server's math for these numbers; it is on its way.";
    const list = math?.result.warnings ?? [];
    warnings.hidden = list.length === 0;
    const shown = [...warningList.querySelectorAll("input")].map((i) => i.value).join("\n");
    if (shown !== list.map((w) => w.message).join("\n")) {
      replace(warningList, list.map((w, i) => el("li", {},
        el("input", { type: "checkbox", id: `warning-${i}`, value: w.message, checked: this.acknowledged.has(w.message) }), " ",
        el("label", { for: `warning-${i}` }, w.message))));
    }
    this.onState?.(this.state(waits));
    // Focus waits on the read-back while the math is on its way; it goes to Send (or the next thing) once it is here.
    if (this.readBackWanted && document.activeElement === box && math) this.moveOn();
  }

  state(waits) {
    if (!this.precinct) return { state: "idle", text: "Choose a precinct." };
    const name = `${this.precinct.county} — ${this.precinct.name}`;
    if (waits.length === 0) return { state: "ready", text: `${name}: ready. Read back, then send when the caller confirms.` };
    const state = waits[0].startsWith("waiting") ? "waiting-math" : this.body() ? "blocked" : "entering";
    return { state, text: `${name}: ${waits[0]}.` };
  }

  /** What the operator reads to the caller: the numbers, the outcome entered, what they give, and every warning. */
  readBackText({ body, result }) {
    const p = this.precinct;
    // Groups that left by the final alignment are said once, as gone, rather than as a list of zeros.
    const list = (round) => Object.keys(body[round]).filter((g) => body[round][g] > 0).map((g) => `${g} ${body[round][g]}`).join(", ") || "nobody";
    const gone = Object.keys(body.final).filter((g) => body.final[g] === 0);
    if (this.election.form.oneRound) {
      // One round of votes: the unit elects no delegate, so the votes and any warning are the whole read-back.
      return [`${p.county}, ${p.name}.`, `Ballots cast ${body.attendees}.`, `Votes: ${list("final")}.`,
        ...result.warnings.map((w) => `Warning: ${w.message}`)].join("\n");
    }
    const lines = [
      `${p.county}, ${p.name} — ${p.delegates} delegates.`,
      `Attendance ${body.attendees}.`,
      `First alignment: ${list("first")}.`,
      `Final alignment: ${list("final")}${gone.length === 0 ? "" : `; none left for ${gone.join(", ")}`}.`,
    ];
    if (body.early) lines.push(`Early vote: ${body.early.map((r) => `${r.count} × ${r.choices.join(" > ")}`).join("; ")}.`);
    if (body.tieBreaks) lines.push(this.tie.readBack(body.tieBreaks[0]));
    const delegates = Object.entries(result.allocation.countyDelegates).filter(([, n]) => n > 0).map(([g, n]) => `${g} ${n}`).join(", ");
    lines.push(`That gives: ${delegates || "no delegates"}${result.allocation.status === "pending-tie-break" ? " (provisional)" : ""}.`);
    for (const w of result.warnings) lines.push(`Warning: ${w.message}`);
    return lines.join("\n");
  }
}

function previewProblem(error) {
  if (error instanceof ApiError && error.status === 400) return `Check the numbers: ${error.message}`;
  return `The server's math is unavailable (${error.message}); the report cannot be read back until it answers.`;
}

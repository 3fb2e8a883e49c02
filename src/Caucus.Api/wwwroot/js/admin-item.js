// One review item on the admin page and the decisions on it: clear with a reason, confirm a held report, or enter an
// official correction through the same tally form and preview as the hotline. ctx carries what the page shares:
// { election, token, labels, refused, refuse, announce, refreshQueue, keepFocus }.
import { ApiError, api, precinctPath } from "./api.js";
import { el, replace, randomKey } from "./dom.js";
import { TallyForm } from "./tally-form.js";
import { versionsTable } from "./admin-versions.js";

let serial = 0;

export function buildItem(ctx, item) {
  const { election, token, labels } = ctx;
  const id = `item-${++serial}`;
  const place = `${item.county} — ${item.name}`;
  const versions = el("div", { class: "versions-box" }, versionsTable(election, item));
  const reason = el("input", { id: `${id}-reason`, autocomplete: "off", maxlength: 2000, "aria-describedby": `${id}-reason-hint` });
  const message = el("p", { class: "message", role: "status", hidden: true });
  // A photo with no numbers is no decision: it goes when the numbers are entered from it.
  const photoOnly = item.reason === "photo-without-numbers";
  const clear = photoOnly ? null : el("button", { type: "button" }, "Clear");
  const confirm = item.reason === "implausible" ? el("button", { type: "button" }, "Confirm") : null;
  const correct = el("button", { type: "button", class: photoOnly ? null : "secondary", "aria-expanded": "false", "aria-controls": `${id}-correction` },
    photoOnly ? "Enter the numbers from the photo" : "Enter a correction");
  const correction = el("div", { id: `${id}-correction`, class: "correction", hidden: true });
  const root = el("article", { class: "review-item", "data-key": item.key, "data-reason": item.reason, "data-precinct": item.precinct, "aria-labelledby": `${id}-title` },
    el("h3", { id: `${id}-title` }, el("span", {}, place), " ", el("span", { class: "badge", "data-reason-label": "" }, labels[item.reason] ?? item.reason)),
    el("p", { class: "detail" }, item.detail),
    versions,
    photoOnly ? el("div", { class: "actions" }, correct) : el("div", { class: "decision" },
      el("div", { class: "field" },
        el("label", { for: reason.id }, "Reason for your decision (required)"),
        reason,
        el("span", { id: `${id}-reason-hint`, class: "muted small" },
          confirm ? "Kept in the audit trail. Confirm makes the held report count; Clear leaves it held." : "Kept in the audit trail.")),
      el("div", { class: "actions" }, clear, confirm, correct),
      message),
    correction);
  const entry = { root, versions, signature: JSON.stringify(item), item };
  const buttons = [clear, confirm].filter(Boolean);

  const say = (tone, text) => {
    message.className = `message ${tone}`;
    message.textContent = text;
    message.hidden = false;
  };
  const decide = async (action) => {
    const why = reason.value.trim();
    if (!why) {
      reason.setAttribute("aria-invalid", "true");
      say("bad", `Say why you ${action} it first: the reason is kept in the audit trail.`);
      reason.focus();
      return;
    }
    reason.setAttribute("aria-invalid", "false");
    buttons.forEach((b) => (b.disabled = true));
    try {
      await api("/api/v1/review/decisions", { token, method: "POST", body: { key: entry.item.key, action, reason: why } });
      ctx.announce(`${action === "confirm" ? "Confirmed" : "Cleared"} ${place} (${labels[item.reason] ?? item.reason}): ${why}`);
      await ctx.refreshQueue();
      ctx.keepFocus();
    } catch (error) {
      if (ctx.refused(error)) ctx.refuse();
      if (error instanceof ApiError && (error.status === 404 || error.status === 412)) {
        ctx.announce(`${place}: that item was decided meanwhile or superseded by a later report.`);
        await ctx.refreshQueue();
        ctx.keepFocus();
        return;
      }
      say("bad", `Not recorded: ${error.problem?.detail ?? error.message}`);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  };
  clear?.addEventListener("click", () => decide("clear"));
  confirm?.addEventListener("click", () => decide("confirm"));
  reason.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !confirm) {
      event.preventDefault();
      decide("clear");
    }
  });
  correct.addEventListener("click", async () => {
    const open = correction.hidden;
    correction.hidden = !open;
    correct.setAttribute("aria-expanded", String(open));
    if (open && !entry.form) await buildCorrection(ctx, entry, id, place, correction, correct);
    if (open) entry.form?.focusFirst();
  });
  return entry;
}

async function buildCorrection(ctx, entry, id, place, box, toggle) {
  const { election, token } = ctx;
  replace(box, el("p", { class: "muted" }, "Loading the precinct…"));
  let precinct;
  try {
    precinct = await api(precinctPath(entry.item.precinct), { token });
  } catch (error) {
    replace(box, el("p", { class: "message bad" }, `The precinct could not be loaded: ${error.message}`));
    return;
  }
  const formRoot = el("div");
  const note = el("input", { id: `${id}-note`, autocomplete: "off", maxlength: 2000 });
  const send = el("button", { type: "button" }, "Send the correction");
  const cancel = el("button", { type: "button", class: "secondary" }, "Cancel");
  const message = el("p", { class: "message", role: "status", hidden: true });
  const form = new TallyForm(formRoot, {
    election,
    token,
    source: () => "official",
    idPrefix: `${id}-fix`,
    onComplete: () => send.focus(),
  });
  entry.form = form;
  replace(box,
    el("h4", {}, `Correction for ${place}: an official report`),
    el("p", { class: "muted small" },
      `${precinct.delegates} delegates to elect. It starts from the numbers below; the math is the server's. ` +
      "Sent as source official, it becomes the precinct's counted report."),
    el("div", { class: "correction-cols" },
      el("div", {}, formRoot, el("div", { class: "field" }, el("label", { for: note.id }, "Note (optional)"), note)),
      el("div", {}, el("h5", {}, "The math"), form.math)),
    el("div", { class: "actions" }, send, cancel),
    message);
  form.setPrecinct(precinct);
  const own = entry.item.versions.find((v) => v.precinct === entry.item.precinct) ?? entry.item.versions[0];
  if (own) form.fill(own);

  // One Idempotency-Key per body: a retry of the same correction (a lost answer) is stored once.
  let pending = null;
  const say = (tone, text) => {
    message.className = `message ${tone}`;
    message.textContent = text;
    message.hidden = false;
  };
  send.addEventListener("click", async () => {
    const body = form.body();
    if (!body) return say("bad", "Enter the attendance and the alignment counts (whole numbers).");
    if (form.tossMissing) return say("bad", form.tossMissingMessage());
    body.source = "official";
    if (note.value.trim()) body.note = note.value.trim();
    const text = JSON.stringify(body);
    if (pending?.text !== text) pending = { text, key: randomKey() };
    send.disabled = true;
    say("warn", "Sending…");
    try {
      const answer = await api(`${precinctPath(entry.item.precinct)}/reports`, {
        token, method: "POST", body, headers: { "Idempotency-Key": pending.key },
      });
      const held = answer.held ? ` It is held out of the totals: ${answer.held}` : "";
      say("ok", `Stored as revision ${answer.revision}.${held}`);
      ctx.announce(`Correction for ${place} stored as revision ${answer.revision}.${held}`);
      await ctx.refreshQueue();
      ctx.keepFocus();
    } catch (error) {
      if (ctx.refused(error)) ctx.refuse();
      say("bad", `Not stored: ${error.message}`);
    } finally {
      send.disabled = false;
    }
  });
  cancel.addEventListener("click", () => {
    box.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    toggle.focus();
  });
}

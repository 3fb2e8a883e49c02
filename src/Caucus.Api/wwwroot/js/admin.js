// The admin page: the review queue (GET /api/v1/review) with each item's versions side by side, the decisions
// on it (clear with a reason, confirm a held report, or enter an official correction through the same tally
// form and preview as the hotline), and certification. The queue follows the stream's `results` events; an item
// already on screen is never rebuilt, so a reason being typed or a correction being entered survives a refresh.
import { signIn, signOut } from "./auth.js";
import { api, ApiError, precinctPath } from "./api.js";
import { followStream } from "./sse.js";
import { byId, el, replace, time, randomKey, throttled } from "./dom.js";
import { TallyForm } from "./tally-form.js";
import { showCredentials } from "./credentials.js";
import { gameName, gamesName } from "./tie-input.js";

const token = await signIn();
byId("sign-out").addEventListener("click", () => signOut());

const refused = (error) => error instanceof ApiError && (error.status === 401 || error.status === 403);
const refuse = () => signOut("That token was refused: this page needs an admin token. Sign in again.");

let election;
try {
  election = await api("/api/v1/election");
} catch (error) {
  if (refused(error)) refuse();
  throw error;
}

// The rule set's game of chance, in words: "coin toss", "card draw".
const game = gameName(election.form.ties);
const reasonLabels = {
  "rules-broken": "Rules broken",
  "sources-disagree": "Sources disagree",
  "pending-toss": `${game[0].toUpperCase()}${game.slice(1)} pending`,
  "double-entry-mismatch": "Double-entry mismatch",
  "final-exceeds-first": "Final larger than first",
  "same-numbers-as-another-precinct": "Same numbers as another precinct",
  implausible: "Implausible: held out of the totals",
  "hotline-entry-differs": "A later hotline entry differs",
};
const statusLabels = {
  test: "Test",
  "unofficial-partial": "Unofficial, partial",
  "unofficial-complete": "Unofficial, complete",
  certified: "Certified",
};
const plural = (n, one, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

// ---- Certification -------------------------------------------------------------------------------------------

// The results version on screen: certification names it (If-Match), so what is certified is what the admin saw.
let shownVersion = null;

function renderStatus(results) {
  shownVersion = results.version;
  const box = byId("certify-status");
  box.className = "";
  box.dataset.status = results.status;
  replace(box,
    el("strong", {}, `${statusLabels[results.status] ?? results.status}${results.test ? " (test mode: never certifies the night)" : ""}`),
    ` · ${results.precincts.reporting.toLocaleString()} of ${results.precincts.total.toLocaleString()} reporting`,
    ` · ${plural(results.flags.pendingTieBreaks, game, gamesName(election.form.ties))} pending`,
    ` · results version ${results.version}`);
  byId("last-update").textContent = `Last update ${time(results.asOf)} · version ${results.version}`;
}

byId("certify-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = byId("certify");
  const result = byId("certify-result");
  const note = byId("certify-note").value.trim();
  button.disabled = true;
  replace(result, el("p", { class: "muted" }, "Certifying…"));
  try {
    const answer = await api("/api/v1/admin/certify",
      { token, method: "POST", body: { note: note || null }, headers: { "If-Match": `"${shownVersion}"` } });
    replace(result, el("p", { class: "message ok", role: "status", "data-outcome": "certified" },
      `Certified at ${time(answer.certifiedAt)}: the results now read “${statusLabels[answer.status] ?? answer.status}”, ` +
      `through commit ${answer.throughSeq}.`));
    renderStatus(await api("/api/v1/results", { token }));
  } catch (error) {
    if (refused(error)) refuse();
    // A refusal says why (precincts missing, a toss pending, an open review item, results changed meanwhile): shown as
    // the server words it. When the results moved, the status above shows the new ones to review before certifying.
    if (error instanceof ApiError && error.status === 412) renderStatus(await api("/api/v1/results", { token }));
    const why = error instanceof ApiError && [409, 412, 428].includes(error.status)
      ? [el("strong", {}, `${error.problem?.title ?? "Refused"}.`), " ", error.problem?.detail ?? ""]
      : [el("strong", {}, "Not certified."), " ", error.message];
    replace(result, el("p", { class: "message bad", role: "alert", "data-outcome": "refused" }, ...why));
  } finally {
    button.disabled = false;
  }
});

// ---- The review queue ----------------------------------------------------------------------------------------

const shown = new Map(); // key → { root, versions, signature }
let queueVersion = null;
let serial = 0;

async function refreshQueue() {
  let doc;
  try {
    doc = await api("/api/v1/review", { token });
  } catch (error) {
    if (refused(error)) refuse();
    byId("queue-summary").textContent = `The queue could not be loaded (${error.message}); it is asked again on the next update.`;
    return;
  }
  queueVersion = doc.version;
  renderQueue(doc);
}

function renderQueue(doc) {
  const container = byId("review-items");
  const keys = new Set(doc.items.map((i) => i.key));
  for (const [key, entry] of shown) {
    if (!keys.has(key)) {
      entry.root.remove();
      shown.delete(key);
    }
  }
  const wanted = doc.items.map((item) => {
    const signature = JSON.stringify(item);
    let entry = shown.get(item.key);
    if (!entry) {
      entry = buildItem(item);
      shown.set(item.key, entry);
    } else if (entry.signature !== signature) {
      // The same decision, other numbers to compare (e.g. a third precinct with the same alignments): the table only.
      replace(entry.versions, versionsTable(item));
    }
    entry.signature = signature;
    entry.item = item;
    return entry.root;
  });
  // Move only what is out of place: moving a node would take the focus away from a reason being typed.
  let cursor = container.firstElementChild;
  for (const node of wanted) {
    if (node === cursor) cursor = cursor.nextElementSibling;
    else container.insertBefore(node, cursor);
  }
  byId("queue-summary").textContent = doc.items.length === 0
    ? `Nothing needs a human right now (results version ${doc.version}).`
    : `${plural(doc.items.length, "report")} need${doc.items.length === 1 ? "s" : ""} a human (results version ${doc.version}).`;
}

/** Groups in ballot order, then any others the reports name. */
function groupsOf(versions) {
  const named = new Set(versions.flatMap((v) => [v.first, v.final, v.reportedDelegates ?? {}, v.countyDelegates].flatMap(Object.keys)));
  return [...election.candidates.filter((c) => named.has(c)), ...[...named].filter((g) => !election.candidates.includes(g)).sort()];
}

function versionsTable(item) {
  const versions = item.versions;
  const groups = groupsOf(versions);
  const columns = [
    { key: "first", label: "First", value: (v, g) => v.first[g] ?? 0 },
    { key: "final", label: "Final", value: (v, g) => v.final[g] ?? 0 },
    ...(versions.some((v) => v.reportedDelegates)
      ? [{ key: "reported", label: "Reported delegates", value: (v, g) => (v.reportedDelegates ? v.reportedDelegates[g] ?? 0 : null) }]
      : []),
    { key: "computed", label: "Delegates by the rules", value: (v, g) => v.countyDelegates[g] ?? 0 },
  ];
  const several = versions.length > 1;
  // Two versions: a number differs when the versions do not all agree on it. One version: reported delegates
  // that are not what the rules give (the very reason a rules-broken item is here).
  const differs = (values) => new Set(values.filter((n) => n !== null)).size > 1;
  let marked = false;
  const cell = (n, mark, first, why) => {
    if (mark) marked = true;
    return el("td", { class: ["num", first ? "start" : null, mark ? "differs" : null].filter(Boolean).join(" "), "data-differs": mark ? "true" : null },
      mark ? el("span", { "aria-hidden": "true" }, "≠ ") : null,
      n === null ? "—" : n.toLocaleString(),
      mark ? el("span", { class: "visually-hidden" }, ` (${why})`) : null);
  };

  const heading = (v) => el("th", { scope: "colgroup", colspan: columns.length, class: "start version-head", "data-source": v.source },
    el("span", { class: "source" }, v.source), ` · revision ${v.revision}`,
    v.precinct !== item.precinct ? el("span", { class: "other" }, el("br"), `another precinct: ${v.precinct}`) : null,
    el("br"), el("span", { class: "muted small" }, `received ${time(v.receivedAt)} from ${v.actor}`),
    v.held ? el("span", { class: "badge bad" }, "held out of the totals") : null);

  const attendeesRow = el("tr", {}, el("th", { scope: "row" }, "Attendees"),
    versions.map((v) => {
      const td = cell(v.attendees, several && differs(versions.map((x) => x.attendees)), true, "differs between the versions");
      td.colSpan = columns.length;
      td.classList.add("span");
      return td;
    }));
  const groupRows = groups.map((g) => el("tr", { "data-group": g }, el("th", { scope: "row" }, g),
    versions.flatMap((v) => columns.map((c, index) => {
      const n = c.value(v, g);
      if (several) return cell(n, differs(versions.map((x) => c.value(x, g))), index === 0, "differs between the versions");
      const wrong = c.key === "reported" && n !== null && n !== (v.countyDelegates[g] ?? 0);
      return cell(n, wrong, index === 0, "not what the rules give");
    }))));

  const table = el("table", { class: "versions" },
    el("caption", { class: "visually-hidden" }, several ? `The ${versions.length} versions side by side` : "The report as counted"),
    el("thead", {},
      el("tr", {}, el("th", { scope: "col", rowspan: 2 }, "Group"), versions.map(heading)),
      el("tr", {}, versions.flatMap(() => columns.map((c, index) => el("th", { scope: "col", class: index === 0 ? "num start" : "num" }, c.label))))),
    el("tbody", {}, attendeesRow, groupRows));
  // An early vote is merged into the counts above; say how much of them it is, per version (the correction form below
  // starts from the in-person counts and the rankings as reported).
  const early = versions.map((v, i) => (v.early
    ? el("p", { class: "muted small" },
      `${several ? `Version ${i + 1}: ` : ""}the counts include the early vote: ${v.early.inPersonAttendees.toLocaleString()} in person, ` +
      `${v.early.cards.toLocaleString()} early cards (${v.early.void} void, ${v.early.left} with no viable choice); ` +
      `early part of the final alignment: ${Object.entries(v.early.earlyFinal).map(([g, n]) => `${g} ${n}`).join(", ") || "none"}.`)
    : null));
  return [
    el("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "The versions side by side" }, table),
    ...early,
    marked ? el("p", { class: "muted small" }, several
      ? "≠ marks a number the versions disagree on."
      : "≠ marks reported delegates that are not what the rules give.") : null,
  ];
}

function buildItem(item) {
  const id = `item-${++serial}`;
  const place = `${item.county} — ${item.name}`;
  const versions = el("div", { class: "versions-box" }, versionsTable(item));
  const reason = el("input", { id: `${id}-reason`, autocomplete: "off", maxlength: 2000, "aria-describedby": `${id}-reason-hint` });
  const message = el("p", { class: "message", role: "status", hidden: true });
  const clear = el("button", { type: "button" }, "Clear");
  const confirm = item.reason === "implausible" ? el("button", { type: "button" }, "Confirm") : null;
  const correct = el("button", { type: "button", class: "secondary", "aria-expanded": "false", "aria-controls": `${id}-correction` }, "Enter a correction");
  const correction = el("div", { id: `${id}-correction`, class: "correction", hidden: true });
  const root = el("article", { class: "review-item", "data-key": item.key, "data-reason": item.reason, "data-precinct": item.precinct, "aria-labelledby": `${id}-title` },
    el("h3", { id: `${id}-title` }, el("span", {}, place), " ", el("span", { class: "badge", "data-reason-label": "" }, reasonLabels[item.reason] ?? item.reason)),
    el("p", { class: "detail" }, item.detail),
    versions,
    el("div", { class: "decision" },
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
      announce(`${action === "confirm" ? "Confirmed" : "Cleared"} ${place} (${reasonLabels[item.reason] ?? item.reason}): ${why}`);
      await refreshQueue();
      keepFocus();
    } catch (error) {
      if (refused(error)) refuse();
      if (error instanceof ApiError && (error.status === 404 || error.status === 412)) {
        announce(`${place}: that item was decided meanwhile or superseded by a later report.`);
        await refreshQueue();
        keepFocus();
        return;
      }
      say("bad", `Not recorded: ${error.problem?.detail ?? error.message}`);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  };
  clear.addEventListener("click", () => decide("clear"));
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
    if (open && !entry.form) await buildCorrection(entry, id, place, correction, correct);
    if (open) entry.form?.focusFirst();
  });
  return entry;
}

async function buildCorrection(entry, id, place, box, toggle) {
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
  form.fill(own);

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
      announce(`Correction for ${place} stored as revision ${answer.revision}.${held}`);
      await refreshQueue();
      keepFocus();
    } catch (error) {
      if (refused(error)) refuse();
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

/** What the last decision did, kept in view after its item leaves the queue. */
function announce(text) {
  const box = byId("last-decision");
  box.textContent = text;
  box.hidden = false;
}

/** A decided item leaves the queue with the button that decided it: the focus goes back to the queue's heading. */
function keepFocus() {
  if (!document.activeElement || document.activeElement === document.body) byId("queue-heading").focus();
}

// ---- Live ----------------------------------------------------------------------------------------------------

/** The queue follows the results: at most one request at a time, and a version that arrives meanwhile asks once more. */
const followQueue = throttled(refreshQueue, 250);

followStream("/api/v1/stream", token, {
  onEvent: (name, data) => {
    if (name !== "results") return;
    renderStatus(data);
    if (data.version !== queueVersion) followQueue();
  },
  onState: (state, detail) => {
    const box = byId("connection");
    if (state === "refused") refuse();
    box.className = `status ${state === "live" ? "live" : "down"}`;
    box.textContent = state === "live" ? "Live" : state === "connecting" ? "Connecting…" : `Connection lost — reconnecting in ${Math.ceil(detail / 1000)} s`;
  },
});

try {
  renderStatus(await api("/api/v1/results", { token }));
} catch (error) {
  if (refused(error)) refuse();
}
followQueue();
showCredentials(token, refuse);

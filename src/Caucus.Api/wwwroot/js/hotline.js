// Hotline console: the operator types a precinct's numbers as the captain reads them over the phone,
// sees the math (the server's preview), reads it back, and sends it through an outbox that keeps
// retrying while the server is unreachable. Double entry: a hotline report counts once a second operator
// enters the same numbers; this console shows where each of its reports stands.
import { signIn, signOut } from "./auth.js";
import { api, ApiError, precinctPath } from "./api.js";
import { byId, el, replace, time } from "./dom.js";
import { Outbox } from "./outbox.js";
import { TallyForm } from "./tally-form.js";
import { precinctSearch } from "./precinct-search.js";
import { describeDoubleEntry } from "./double-entry.js";

const token = await signIn();
byId("sign-out").addEventListener("click", () => signOut());

let election;
let precincts;
try {
  [election, precincts] = await Promise.all([api("/api/v1/election"), api("/api/v1/precincts", { token })]);
} catch (error) {
  if (error instanceof ApiError && (error.status === 401 || error.status === 403)) signOut("That token was refused. Sign in again.");
  throw error;
}

const form = new TallyForm(byId("tally"), {
  election,
  token,
  source: () => "hotline",
  idPrefix: "hotline",
  onComplete: () => showReadBack(),
  // A late answer refreshes the read-back rather than hiding it: the operator may already be reading it out.
  onPreview: () => {
    if (!byId("read-back-box").hidden) byId("read-back-text").textContent = form.readBack() ?? "";
  },
});
byId("math").append(form.math);
form.clear();

// The search example is a precinct of this election.
if (precincts.length > 0) byId("precinct-search").placeholder = `e.g. ${precincts[0].county} ${precincts[0].name}`.toLowerCase();

let chosen = null;
precinctSearch({
  input: byId("precinct-search"),
  list: byId("precinct-picks"),
  precincts,
  onPick: (p) => choose(p),
});
byId("precinct-search").focus();

async function choose(precinct) {
  chosen = precinct;
  form.setPrecinct(precinct);
  hideReadBack();
  replace(byId("precinct-chosen"), el("strong", {}, `${precinct.county} — ${precinct.name}`), ` · ${precinct.delegates} delegates to elect`);
  byId("precinct-chosen").className = "";
  await showPrecinctDoubleEntry(precinct.id);
  form.focusFirst();
}

async function showPrecinctDoubleEntry(id) {
  const box = byId("precinct-double-entry");
  try {
    const doc = await api(precinctPath(id), { token });
    if (chosen?.id !== id) return;
    const said = describeDoubleEntry(doc.doubleEntry);
    box.hidden = !said;
    if (said) {
      box.className = `message ${said.tone}`;
      box.textContent = `Already on file: ${said.text}`;
    }
  } catch {
    box.hidden = true;
  }
}

function hideReadBack() {
  byId("read-back-box").hidden = true;
  byId("read-back-problem").hidden = true;
}

function showReadBack() {
  const problem = byId("read-back-problem");
  const text = form.readBack();
  let why = null;
  if (!chosen) why = "Choose the precinct first.";
  else if (!text) why = "Enter the attendance, and whole numbers only.";
  else if (form.tossMissing) why = form.tossMissingMessage(true);
  if (why) {
    problem.textContent = why;
    problem.hidden = false;
    byId("read-back-box").hidden = true;
    return;
  }
  problem.hidden = true;
  byId("read-back-text").textContent = text;
  byId("read-back-box").hidden = false;
  byId("submit").focus();
}

byId("read-back").addEventListener("click", showReadBack);
byId("correct").addEventListener("click", () => {
  hideReadBack();
  form.focusFirst();
});

const outbox = new Outbox("caucus.hotline.outbox", token, (entries) => renderQueue(entries));
byId("submit").addEventListener("click", () => {
  const body = form.body();
  if (!chosen || !body) return;
  outbox.add(chosen.id, `${chosen.county} — ${chosen.name}`, body);
  hideReadBack();
  chosen = null;
  byId("precinct-search").value = "";
  replace(byId("precinct-chosen"), "No precinct chosen yet.");
  byId("precinct-chosen").className = "muted";
  byId("precinct-double-entry").hidden = true;
  form.setPrecinct(null);
  byId("precinct-search").focus();
});

function renderQueue(entries) {
  const list = [...entries].reverse();
  replace(byId("queue"), list.length === 0 ? el("li", { class: "muted" }, "Nothing sent yet.") : list.map((entry) => {
    const li = el("li", { "data-precinct": entry.precinct, "data-state": entry.state },
      el("strong", {}, entry.label), " — ", el("span", { class: "state" }, stateText(entry)));
    const doubleEntry = describeDoubleEntry(entry.doubleEntry ?? entry.response?.doubleEntry);
    if (entry.state === "stored" && doubleEntry) li.append(el("p", { class: `message ${doubleEntry.tone}`, "data-double-entry": doubleEntry.status }, doubleEntry.text));
    return li;
  }));
  const waiting = entries.filter((e) => e.state === "waiting" || e.state === "saved" || e.state === "sending").length;
  byId("queue-status").textContent = waiting === 0 ? "No reports waiting." : `${waiting} report${waiting === 1 ? "" : "s"} waiting to be sent.`;
}

function stateText(entry) {
  switch (entry.state) {
    case "saved": return "kept here, sending…";
    case "sending": return "sending…";
    case "waiting": return `not sent yet (${entry.lastError}) — trying again at ${time(entry.nextAttemptAt)}`;
    case "stored": return `stored as revision ${entry.response.revision} at ${time(entry.storedAt)}`;
    case "refused": return `refused: ${entry.problem}`;
    default: return entry.state;
  }
}

// A report stays "awaiting a second entry" until another operator types it; look again every few seconds
// so a confirmation or a mismatch shows on this console too.
async function followDoubleEntries() {
  for (const entry of outbox.entries()) {
    const status = (entry.doubleEntry ?? entry.response?.doubleEntry)?.status;
    if (entry.state !== "stored" || status === "confirmed" || !entry.response?.doubleEntry) continue;
    try {
      const doc = await api(precinctPath(entry.precinct), { token });
      if (JSON.stringify(doc.doubleEntry) !== JSON.stringify(entry.doubleEntry)) outbox.update(entry.key, { doubleEntry: doc.doubleEntry });
    } catch {
      // Unreachable for now; the next round tries again.
    }
  }
}
setInterval(followDoubleEntries, 2000);
renderQueue(outbox.entries());
outbox.flush();

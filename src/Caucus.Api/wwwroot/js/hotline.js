// Hotline console: the operator types a precinct's numbers as the captain reads them over the phone, reads back the
// server's math for exactly those numbers, and sends it through an outbox that keeps retrying while the server is
// unreachable. Double entry: a hotline report counts once a second operator enters the same numbers; this console
// follows where each of its reports stands and says so in the sticky bar at the top.
import { signIn, signOut } from "./auth.js";
import { api, ApiError, precinctPath } from "./api.js";
import { byId, el, replace, time, throttled } from "./dom.js";
import { followStream } from "./sse.js";
import { Outbox } from "./outbox.js";
import { precinctSearch } from "./precinct-search.js";
import { photoUpload } from "./photo-upload.js";
import { describeDoubleEntry, describeForOperator } from "./double-entry.js";
import { HotlineEntry } from "./hotline-entry.js";
import { HotlineCall } from "./hotline-call.js";
import { gameName } from "./tie-input.js";

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

let sentText = null; // the label of the report just sent, shown in the bar until the next call starts
const entry = new HotlineEntry(byId("tally"), { election, onChange: () => call?.update(), onDone: () => call.readBack() });
const call = new HotlineCall({
  election,
  token,
  entry,
  elements: {
    math: byId("math"), toss: byId("toss"), box: byId("read-back-box"), text: byId("read-back-text"), warnings: byId("warnings"),
    warningList: byId("warning-list"), waits: byId("send-waits"), submit: byId("submit"),
  },
  onState: ({ state, text }) => {
    if (sentText && state === "idle") return;
    sentText = null;
    byId("call-status").dataset.state = state;
    byId("call-status").textContent = text;
  },
});
entry.clear();

// The search example is a precinct of this election.
if (precincts.length > 0) byId("precinct-search").placeholder = `e.g. ${precincts[0].county} ${precincts[0].name}`.toLowerCase();

let chosen = null;
photoUpload({ input: byId("photo-input"), status: byId("photo-status"), token, precinct: () => chosen?.id });
precinctSearch({ input: byId("precinct-search"), list: byId("precinct-picks"), precincts, onPick: (p) => choose(p), withDelegates: !election.form.oneRound });
byId("precinct-search").focus();

async function choose(precinct) {
  chosen = precinct;
  entry.clear();
  call.setPrecinct(precinct);
  replace(byId("precinct-chosen"), el("strong", {}, `${precinct.county} — ${precinct.name}`), election.form.oneRound ? " · one round of votes" : ` · ${precinct.delegates} delegates to elect`);
  byId("precinct-chosen").className = "";
  entry.focusFirst();
  await showPrecinctDoubleEntry(precinct.id);
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

byId("read-back").addEventListener("click", () => call.readBack());
byId("correct").addEventListener("click", () => entry.focusFirst());

const followSoon = throttled(followDoubleEntries, 250);
const outbox = new Outbox("caucus.hotline.outbox", token, (entries) => {
  renderQueue(entries);
  // The other operator's entry may have been pushed before this one's answer came back (a busy server answers late):
  // a report just stored that is not yet followed asks once for the precinct, so its names are not waited for in vain.
  if (entries.some((e) => e.state === "stored" && e.response?.doubleEntry && !e.doubleEntry && e.response.doubleEntry.status !== "confirmed")) followSoon();
});
byId("submit").addEventListener("click", () => {
  const body = call.body();
  // The button is disabled while anything is missing; this guards a click that raced an edit.
  if (!chosen || !body || call.waits.length > 0) return;
  const label = `${chosen.county} — ${chosen.name}`;
  outbox.add(chosen.id, label, body);
  chosen = null;
  byId("precinct-search").value = "";
  replace(byId("precinct-chosen"), "No precinct chosen yet.");
  byId("precinct-chosen").className = "muted";
  byId("precinct-double-entry").hidden = true;
  entry.clear();
  call.setPrecinct(null);
  sentText = label;
  renderQueue(outbox.entries());
  byId("precinct-search").focus();
});

function renderQueue(entries) {
  const list = [...entries].reverse();
  replace(byId("queue"), list.length === 0 ? el("li", { class: "muted" }, "Nothing sent yet.") : list.map((sent) => {
    const li = el("li", { "data-precinct": sent.precinct, "data-state": sent.state },
      el("strong", {}, sent.label), " — ", el("span", { class: "state" }, stateText(sent)));
    const doubleEntry = sent.doubleEntry ?? sent.response?.doubleEntry;
    const said = describeForOperator(doubleEntry, sent.body, gameName(election.form.ties));
    if (sent.state === "stored" && said) li.append(el("p", { class: `message ${said.tone}`, "data-double-entry": said.status }, said.text));
    return li;
  }));
  const waiting = entries.filter((e) => e.state === "waiting" || e.state === "saved" || e.state === "sending").length;
  byId("queue-status").textContent = waiting === 0 ? "No reports waiting." : `${waiting} report${waiting === 1 ? "" : "s"} waiting to be sent.`;
  // The latest report sent, in the sticky bar until the next call starts.
  const latest = entries.at(-1);
  if (sentText && latest && latest.label === sentText) {
    byId("call-status").dataset.state = "sent";
    byId("call-status").textContent = `Sent ${latest.label}: ${stateText(latest)}. Next call: search the precinct.`;
  }
  // A double-entry problem on any report of this console stays at the top until it is entered again.
  const differing = entries.filter((e) => e.state === "stored").map((e) => ({ e, said: describeForOperator(e.doubleEntry ?? e.response?.doubleEntry, e.body, gameName(election.form.ties)) }))
    .filter(({ said }) => said?.tone === "bad").at(-1);
  byId("notice").hidden = !differing;
  byId("notice").textContent = differing ? `${differing.e.label}: ${differing.said.text}` : "";
}

function stateText(sent) {
  switch (sent.state) {
    case "saved": return "kept here, sending…";
    case "sending": return "sending…";
    case "waiting": return `not sent yet (${sent.lastError}) — trying again at ${time(sent.nextAttemptAt)}`;
    case "stored": return `stored as revision ${sent.response.revision} at ${time(sent.storedAt)}`;
    case "refused": return `refused: ${sent.problem}`;
    default: return sent.state;
  }
}

// A report stays "awaiting a second entry" until another operator types it. Another operator's entry is a new results
// version, pushed on the stream: each one asks again for the precincts still waiting (at most four times a second), so a
// confirmation or a mismatch reaches this console at once (both consoles follow the same precinct document, which names
// the operators of differing entries). When the stream comes back after a drop it asks once, for what it missed.
async function followDoubleEntries() {
  for (const sent of outbox.entries()) {
    const status = (sent.doubleEntry ?? sent.response?.doubleEntry)?.status;
    if (sent.state !== "stored" || status === "confirmed" || !sent.response?.doubleEntry) continue;
    try {
      const doc = await api(precinctPath(sent.precinct), { token });
      if (JSON.stringify(doc.doubleEntry) !== JSON.stringify(sent.doubleEntry)) outbox.update(sent.key, { doubleEntry: doc.doubleEntry });
    } catch {
      // Unreachable for now; the next round tries again.
    }
  }
}
followStream("/api/v1/stream", token, {
  onEvent: (name) => {
    if (name === "results") followSoon();
  },
  onState: (state) => {
    if (state === "refused") signOut("That token was refused: this console needs a hotline token. Sign in again.");
    if (state === "live") followSoon();
  },
});
renderQueue(outbox.entries());
outbox.flush();

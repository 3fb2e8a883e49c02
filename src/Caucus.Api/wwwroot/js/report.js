// The report page: a captain's or satellite chair's phone page for one precinct. A report is kept on the
// phone (localStorage, with its Idempotency-Key) before it is sent, and re-sent until the server
// acknowledges it, so a dead spot in the gym loses nothing. The page says plainly where the report stands, next to
// Send. After the first visit it also opens with no network at all (report-sw.js keeps the page and its documents).
// A precinct credential fixes both the precinct and the source (captain or chair): the page asks the server which.
import { signIn, signOut, currentPrecinct, rememberPrecinct } from "./auth.js";
import { api, ApiError, precinctPath } from "./api.js";
import { byId, el, replace, time } from "./dom.js";
import { Outbox } from "./outbox.js";
import { TallyForm } from "./tally-form.js";
import { precinctSearch } from "./precinct-search.js";
import { photoUpload } from "./photo-upload.js";

if ("serviceWorker" in navigator) {
  // Scope /report: the other pages are not the gym's and keep their plain network behaviour.
  navigator.serviceWorker.register("/report-sw.js", { scope: "/report" }).catch(() => undefined);
}

/**
 * Once the worker controls the page, it is handed what the page loaded before (modules, styles) and the documents the
 * page starts from are asked once more through it, so it keeps them too (they need the token, which only the page
 * has). Then the page can open with no network; <html data-offline-ready> says so.
 */
async function keepForOffline(precinctId) {
  if (!("serviceWorker" in navigator)) return;
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
  }
  const assets = performance.getEntriesByType("resource").map((entry) => new URL(entry.name))
    .filter((url) => url.origin === location.origin && (url.pathname.startsWith("/js/") || url.pathname.startsWith("/css/")))
    .map((url) => url.pathname);
  const channel = new MessageChannel();
  const kept = new Promise((resolve) => (channel.port1.onmessage = (event) => resolve(event.data?.kept === true)));
  navigator.serviceWorker.controller.postMessage({ keep: [...new Set([location.pathname, ...assets])] }, [channel.port2]);
  if (!(await kept)) return;
  await Promise.allSettled([api("/api/v1/election"), api("/api/v1/me", { token }), api(precinctPath(precinctId), { token })]);
  document.documentElement.dataset.offlineReady = "true";
}

const token = await signIn();
byId("sign-out").addEventListener("click", () => signOut());

const election = await loadOrExplain(() => api("/api/v1/election"));
// What this credential is: a precinct credential reports for its own precinct as its own source. The hotline and
// headquarters have their own pages; here they pick a precinct and report as the hotline or officially.
const me = await loadOrExplain(() => api("/api/v1/me", { token }));
const source = me.role === "precinct" ? me.source : me.role === "admin" ? "official" : "hotline";
const form = new TallyForm(byId("tally"), {
  election,
  token,
  source: () => source,
  idPrefix: "report",
  onComplete: () => byId("submit").focus(),
});
byId("math").append(form.math);
form.clear();

let precinct = null;
photoUpload({ input: byId("photo-input"), status: byId("photo-status"), token, precinct: () => precinct?.id });
const outbox = new Outbox("caucus.report.outbox", token, (entries) => renderDelivery(entries));
renderDelivery(outbox.entries());
outbox.flush();

// A precinct credential's own precinct, whatever the link says (a link without &precinct= still opens it); the
// other roles search for one.
const id = me.role === "precinct" ? me.precinct : currentPrecinct();
if (id) {
  await show(id);
} else {
  const precincts = await loadOrExplain(() => api("/api/v1/precincts", { token }));
  byId("precinct-name").textContent = "Which precinct are you reporting for?";
  byId("precinct-pick").hidden = false;
  precinctSearch({ input: byId("precinct-search"), list: byId("precinct-picks"), precincts, onPick: (p) => show(p.id) });
}

async function show(precinctId) {
  const doc = await loadOrExplain(() => api(precinctPath(precinctId), { token }));
  precinct = doc;
  rememberPrecinct(doc.id);
  byId("precinct-pick").hidden = true;
  replace(byId("precinct-name"), el("strong", {}, `${doc.county} — ${doc.name}`), el("br"),
    `${doc.delegates} delegate${doc.delegates === 1 ? "" : "s"} to elect (D = ${doc.delegates})`,
    doc.kind === "satellite" ? " · satellite caucus" : "");
  byId("precinct-name").className = "";
  const as = { captain: "the precinct captain", chair: doc.kind === "satellite" ? "the satellite caucus chair" : "the precinct chair",
    hotline: "the hotline", official: "headquarters (an official report)" }[source] ?? source;
  byId("report-as").textContent = `You report as ${as}: your credential says so.`;
  form.setPrecinct(doc);
  renderDelivery(outbox.entries());
  keepForOffline(doc.id).catch(() => undefined);
}

/** Shown while the page cannot start: the server is unreachable at first load, or refuses the token. */
async function loadOrExplain(load) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await load();
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) signOut("That token was refused. Scan your sheet's code again.");
      if (!(error instanceof ApiError) || !error.transient) throw error;
      byId("precinct-name").textContent = `Cannot reach the server yet (${error.message}); trying again…`;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * attempt, 5000)));
    }
  }
}

byId("submit").addEventListener("click", () => {
  const problem = byId("submit-problem");
  const body = form.body();
  let why = null;
  if (!precinct) why = "The precinct is not loaded yet.";
  else if (!body) why = "Enter the attendance and the alignment counts (whole numbers).";
  else if (form.tossMissing) why = form.tossMissingMessage();
  problem.textContent = why ?? "";
  problem.hidden = !why;
  if (why) return;
  outbox.add(precinct.id, `${precinct.county} — ${precinct.name}`, body);
});
byId("retry").addEventListener("click", () => {
  for (const e of outbox.entries()) if (e.state === "waiting") outbox.update(e.key, { nextAttemptAt: 0 });
  outbox.flush();
});

function renderDelivery(entries) {
  const box = byId("delivery");
  const latest = entries.at(-1);
  byId("retry").hidden = latest?.state !== "waiting";
  if (!latest) {
    box.className = "message warn";
    box.dataset.state = "none";
    box.textContent = "Nothing sent yet.";
    return;
  }
  box.dataset.state = latest.state;
  const when = (iso) => time(iso);
  const texts = {
    saved: ["warn", `Saved on this phone at ${when(latest.savedAt)}. Sending…`],
    sending: ["warn", `Saved on this phone. Sending (attempt ${latest.attempts})…`],
    waiting: ["warn", `Saved on this phone, NOT received yet: ${latest.lastError} It is sent again automatically at ${latest.nextAttemptAt ? time(latest.nextAttemptAt) : "once the network is back"}; keep this page open.`],
    stored: ["ok", `Received by the party at ${when(latest.storedAt)} (revision ${latest.response?.revision}). Thank you.`],
    refused: ["bad", `Not accepted: ${latest.problem} Correct the numbers and send again.`],
  };
  const [tone, text] = texts[latest.state] ?? ["warn", latest.state];
  box.className = `message ${tone}`;
  box.textContent = text;
}

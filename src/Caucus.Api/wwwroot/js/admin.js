// The admin page: the review queue as a triage list (admin-queue.js; each item and its decisions in admin-item.js,
// its versions in admin-versions.js), certification with a live checklist and a confirmation (admin-certify.js), and
// the credentials (credentials.js). Everything follows the stream's `results` events.
import { signIn, signOut } from "./auth.js";
import { api, ApiError } from "./api.js";
import { followStream } from "./sse.js";
import { byId, throttled } from "./dom.js";
import { showCredentials } from "./credentials.js";
import { gameName } from "./tie-input.js";
import { reasonLabels } from "./admin-labels.js";
import { ReviewQueue } from "./admin-queue.js";
import { Certification } from "./admin-certify.js";
import { GroupNames } from "./admin-groups.js";

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

const ctx = {
  election,
  token,
  labels: reasonLabels(election),
  gameName: gameName(election.form.ties),
  refused,
  refuse,
  /** What the last decision did, kept in view after its item leaves the queue. */
  announce(text) {
    const box = byId("last-decision");
    box.textContent = text;
    box.hidden = false;
  },
  /** A decided item leaves the queue with the button that decided it: the focus goes back to the queue's heading. */
  keepFocus() {
    if (!document.activeElement || document.activeElement === document.body) byId("queue-heading").focus();
  },
  refreshQueue: () => refreshQueue(),
};

const queue = new ReviewQueue(ctx);
const certification = new Certification(ctx);
// Open groups only (the rule set's form says so): spellings to merge.
const groupNames = election.form.openGroups ? new GroupNames(ctx) : null;
const followGroups = throttled(() => groupNames?.refresh(), 250);
let queueVersion = null;

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
  queue.render(doc);
  certification.showQueue(doc.items);
}

/** The queue follows the results: at most one request at a time, and a version that arrives meanwhile asks once more. */
const followQueue = throttled(refreshQueue, 250);

followStream("/api/v1/stream", token, {
  onEvent: (name, data) => {
    if (name !== "results") return;
    certification.showResults(data);
    if (data.version !== queueVersion) followQueue();
    if (groupNames && data.version !== groupNames.version) followGroups();
  },
  onState: (state, detail) => {
    const box = byId("connection");
    if (state === "refused") refuse();
    box.className = `status ${state === "live" ? "live" : "down"}`;
    box.textContent = state === "live" ? "Live" : state === "connecting" ? "Connecting…" : `Connection lost — reconnecting in ${Math.ceil(detail / 1000)} s`;
  },
});

try {
  certification.showResults(await api("/api/v1/results", { token }));
} catch (error) {
  if (refused(error)) refuse();
}
followQueue();
followGroups();
showCredentials(token, refuse);

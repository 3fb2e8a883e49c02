// The war room: the statewide headline unit (the election's: SDEs, county convention delegates) and popular vote, the projection, a county map, and what needs attention,
// all following GET /api/v1/stream. A county's results are fetched again only when /changes says one of
// its precincts moved, so a busy night costs a few small requests per version, not 99.
import { signIn, signOut } from "./auth.js";
import { api, ApiError } from "./api.js";
import { followStream } from "./sse.js";
import { byId, el, replace, time, throttled } from "./dom.js";
import { renderSdeBars, renderVoteBars, renderProjection, renderLeaderAlert, setLabels } from "./warroom-charts.js";
import { gamesName } from "./tie-input.js";
import { CountyMap } from "./warroom-map.js";

const token = await signIn();
byId("sign-out").addEventListener("click", () => signOut());

const refused = (error) => error instanceof ApiError && (error.status === 401 || error.status === 403);
let election;
let precincts;
try {
  [election, precincts] = await Promise.all([api("/api/v1/election"), api("/api/v1/precincts", { token })]);
} catch (error) {
  if (refused(error)) signOut("That token was refused. Sign in again.");
  throw error;
}
byId("title").textContent = `War room — ${election.name}`;
// Labels from the election's rule set: its headline unit and its game of chance.
const games = gamesName(election.form.ties);
setLabels({ unit: election.headline.abbreviation, unitName: election.headline.name, games, weighted: election.headline.weightedByCounty });
byId("sde-heading").textContent = election.headline.name;
byId("county-unit").textContent = election.headline.abbreviation;
byId("county-unit").title = election.headline.name;
byId("flags-tosses-heading").textContent = `Pending ${games}`;
const countyOf = new Map(precincts.map((p) => [p.id, p.county]));
const reported = new Set(precincts.filter((p) => p.reported).map((p) => p.id));
const satellites = new Set(precincts.filter((p) => p.kind === "satellite").map((p) => p.id));

const map = new CountyMap(byId("map-wrap"), byId("map-tooltip"), byId("county-table"), byId("map-legend"), election.candidates, election.headline.abbreviation);
const mapLoaded = map.load();
mapLoaded.then(() => refreshCounties(map.counties), (error) => (byId("map-loading").textContent = `The map could not be loaded: ${error.message}`));

let seenVersion = null;
let projectionStreamed = false;
let latest = null;
let lastProjection = null;

followStream("/api/v1/stream", token, {
  onEvent: (name, data) => {
    if (name === "results") onResults(data);
    if (name === "projection") {
      projectionStreamed = true;
      lastProjection = data;
      renderProjection(byId("projection"), data, latest?.version ?? null);
    }
  },
  onState: (state, detail) => {
    const box = byId("connection");
    if (state === "refused") signOut("That token was refused. Sign in again.");
    box.className = `status ${state === "live" ? "live" : "down"}`;
    box.textContent = state === "live" ? "Live" : state === "connecting" ? "Connecting…" : `Connection lost — reconnecting in ${Math.ceil(detail / 1000)} s`;
  },
});

function onResults(results) {
  latest = results;
  byId("last-update").textContent = `Last update ${time(results.asOf)} · version ${results.version}`;
  byId("results-status").textContent = `${results.test ? "TEST · " : ""}${results.status.replaceAll("-", " ")}`;
  renderSdeBars(byId("sde-bars"), results, election.candidates);
  renderLeaderAlert(byId("leader-alert"), byId("leader-calm"), results);
  renderVoteBars(byId("vote-bars"), results, election.candidates);
  renderReporting();
  const since = seenVersion;
  seenVersion = results.version;
  if (since !== null && since !== results.version) followChanges(since);
  refreshFlags();
  if (!projectionStreamed) refreshProjection();
  // Say at once when the bars have passed the projection's version (the next projection event catches it up).
  else if (lastProjection) renderProjection(byId("projection"), lastProjection, results.version);
}

const n = (count) => count.toLocaleString();

function renderReporting() {
  const inState = [...reported].filter((id) => !satellites.has(id)).length;
  const sat = [...reported].filter((id) => satellites.has(id)).length;
  // Satellites are named only where the election has them.
  byId("reporting").textContent = satellites.size === 0
    ? `${n(latest.precincts.reporting)} of ${n(latest.precincts.total)} precincts reporting.`
    : `${n(latest.precincts.reporting)} of ${n(latest.precincts.total)} reporting: precincts ${n(inState)} of ${n(precincts.length - satellites.size)}, ` +
      `satellites ${n(sat)} of ${n(satellites.size)}${latest.flags.satellitesProvisional ? ` (satellite ${election.headline.abbreviation}s provisional)` : ""}.`;
}

/** Which precincts moved since `since`: they mark themselves reported and their counties are fetched again. */
async function followChanges(since) {
  try {
    const changes = await api(`/api/v1/changes?since=${since}`, { token });
    if (changes.reload) {
      (await api("/api/v1/precincts", { token })).filter((p) => p.reported).forEach((p) => reported.add(p.id));
      await refreshCounties(map.counties);
    } else {
      changes.changes.forEach((c) => reported.add(c.precinct));
      await refreshCounties([...new Set(changes.changes.map((c) => countyOf.get(c.precinct)))]);
    }
    renderReporting();
  } catch {
    // The next version asks again from its own cursor; the map catches up then.
  }
}

async function refreshCounties(counties) {
  await mapLoaded.catch(() => {});
  const queue = counties.filter((c) => map.counties.includes(c));
  const worker = async () => {
    for (let county = queue.shift(); county; county = queue.shift()) {
      try {
        map.update(county, await api(`/api/v1/results/counties/${encodeURIComponent(county)}`, { token }));
      } catch {
        // Left as it was; the next change in this county fetches it again.
      }
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  map.redraw();
}

// Flags and the projection follow the results, at most once a second each.
const refreshFlags = throttled(async () => {
  let flags = null;
  try {
    flags = await api("/api/v1/flags", { token });
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) return;
  }
  const place = (f) => `${f.county} — ${f.name}`;
  const fill = (id, items, render, count) => {
    const list = byId(id);
    if (items === null) replace(list, el("li", { class: "muted" }, `${count} (the server does not list them yet)`));
    else if (items.length === 0) replace(list, el("li", { class: "muted" }, "None."));
    else replace(list, items.map((f) => el("li", { "data-precinct": f.precinct }, render(f))));
  };
  // /api/v1/flags says what is wrong in `detail` (null where it has nothing to add).
  const detail = (f) => (f.detail ? `${place(f)}: ${f.detail}` : place(f));
  fill("flags-inconsistent", flags?.inconsistent ?? null, detail, latest?.flags.inconsistent ?? 0);
  fill("flags-tosses", flags?.pendingTieBreaks ?? null, detail, latest?.flags.pendingTieBreaks ?? 0);
  fill("flags-mismatches", flags?.doubleEntryMismatches ?? null, (f) => `${place(f)}: ${f.differences.join("; ")}`, "?");
}, 1000);

const refreshProjection = throttled(async () => {
  try {
    lastProjection = await api("/api/v1/projection", { token });
    renderProjection(byId("projection"), lastProjection, latest?.version ?? null);
  } catch (error) {
    // 404: a server without projections; 503: the first one is still being computed (it comes on the stream).
    if (error instanceof ApiError && (error.status === 404 || error.status === 503)) renderProjection(byId("projection"), null);
  }
}, 5000);

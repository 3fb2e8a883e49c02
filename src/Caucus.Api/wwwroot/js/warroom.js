// The war room, a wall screen: the headline strip (lead, popular vote, what is left, the data's age), the headline unit
// (the election's: SDEs, county convention delegates) and popular vote, a county map, what needs attention and the
// projection, all following GET /api/v1/stream. A county's results are fetched again only when /changes says one of
// its precincts moved, so a busy night costs a few small requests per version, not 99.
import { signOut } from "./auth.js";
import { api, ApiError } from "./api.js";
import { followStream } from "./sse.js";
import { byId, time, throttled } from "./dom.js";
import { renderSdeBars, renderVote, renderProjection, renderLeaderAlert, setLabels } from "./warroom-charts.js";
import { gamesName } from "./tie-input.js";
import { CountyMap } from "./warroom-map.js";
import { openWarRoom } from "./warroom-access.js";
import { DataAge, renderLead, renderLeft, renderReporting } from "./warroom-headline.js";
import { renderFlags } from "./warroom-flags.js";
import { followPrecinctLinks } from "./warroom-precinct.js";

// null where results are public (the demo): nothing to sign out of.
const token = await openWarRoom();
byId("sign-out").hidden = token === null;
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
// A statewide headline (a secret ballot's national delegates): counties carry votes only, so the map and the county
// table follow the vote; a one-round count has one column of votes.
const statewide = Boolean(election.headline.statewide);
setLabels({ unit: election.headline.abbreviation, unitName: election.headline.name, games, weighted: election.headline.weightedByCounty,
  statewide, oneRound: Boolean(election.form.oneRound) });
byId("sde-heading").textContent = election.headline.name;
byId("county-unit").textContent = statewide ? "Votes" : election.headline.abbreviation;
byId("county-unit").title = statewide ? "The leader's votes" : election.headline.name;
if (statewide) byId("map-heading").textContent = "Counties by vote leader";
followPrecinctLinks(token, { oneRound: Boolean(election.form.oneRound) });
const countyOf = new Map(precincts.map((p) => [p.id, p.county]));

const map = new CountyMap(byId("map-wrap"), byId("map-tooltip"), byId("county-table"), byId("map-legend"), election.candidates, election.headline.abbreviation, statewide);
const mapLoaded = map.load();
mapLoaded.then(() => refreshCounties(map.counties), (error) => (byId("map-loading").textContent = `The map could not be loaded: ${error.message}`));

const dataAge = new DataAge();
let seenVersion = null;
let projectionStreamed = false;
let latest = null;
let lastProjection = null;
let flaggedSde = null;

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
    dataAge.connection(state, detail);
  },
});

function onResults(results) {
  latest = results;
  if (results.version !== seenVersion) dataAge.changed();
  byId("last-update").textContent = `Last update ${time(results.asOf)} · version ${results.version}`;
  byId("results-status").textContent = `${results.test ? "TEST · " : ""}${results.status.replaceAll("-", " ")}`;
  renderLead(results);
  renderLeft(results, flaggedSde);
  renderReporting(results);
  const note = byId("reporting-note");
  note.hidden = !results.flags.satellitesProvisional;
  note.textContent = `Satellite ${election.headline.abbreviation}s are provisional until every satellite has reported.`;
  renderSdeBars(byId("sde-bars"), byId("sde-folded"), results, election.candidates);
  renderLeaderAlert(byId("leader-alert"), byId("leader-calm"), results);
  renderVote(byId("vote"), results);
  const since = seenVersion;
  seenVersion = results.version;
  if (since !== null && since !== results.version) followChanges(since);
  refreshFlags();
  if (!projectionStreamed) refreshProjection();
  // Say at once when the bars have passed the projection's version (the next projection event catches it up).
  else if (lastProjection) renderProjection(byId("projection"), lastProjection, results.version);
}

/** Which precincts moved since `since`: their counties are fetched again. */
async function followChanges(since) {
  try {
    const changes = await api(`/api/v1/changes?since=${since}`, { token });
    const counties = changes.reload ? map.counties : [...new Set(changes.changes.map((c) => countyOf.get(c.precinct)))];
    await refreshCounties(counties);
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
  try {
    flaggedSde = renderFlags(byId("attention-counts"), byId("attention-list"), await api("/api/v1/flags", { token }));
    if (latest) renderLeft(latest, flaggedSde);
  } catch {
    // The next version asks again.
  }
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

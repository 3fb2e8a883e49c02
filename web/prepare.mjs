// Writes an election folder's county outlines from npm packages, so nothing is copied by hand or fetched from a CDN:
// us-atlas's Census counties (TopoJSON, longitude/latitude) → the counties of the folder's state (election.json's
// "stateFips") → pre-projected SVG path strings. The war room draws them as <path d="…"> and needs no map library.
//
//   node web/prepare.mjs                          every folder under elections/ whose election.json has "stateFips"
//   node web/prepare.mjs elections/nevada-2020    that folder only
//
// Output: <folder>/county-outlines.json, committed with the folder (an election folder is data; building or testing
// Caucus needs no node). Counties are matched to the folder's counties.csv by name; satellite "counties" (those
// whose precincts.csv rows are kind=satellite) have no shape and are left out. Any other mismatch fails.
import { readFileSync, writeFileSync, readdirSync, existsSync } from "node:fs";
import { join, resolve, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { geoConicConformal, geoPath } from "d3-geo";
import { feature } from "topojson-client";

const repo = resolve(fileURLToPath(import.meta.url), "../..");
const require = createRequire(import.meta.url);
const atlasVersion = JSON.parse(readFileSync(require.resolve("us-atlas/package.json"), "utf8")).version;
const atlas = JSON.parse(readFileSync(require.resolve("us-atlas/counties-10m.json"), "utf8"));
const allCounties = feature(atlas, atlas.objects.counties).features;

// The drawing fits inside this box; its viewBox is then cropped to the state, so a tall state (Nevada) gets a
// tall drawing instead of a wide one with empty margins.
const maxWidth = 800;
const maxHeight = 520;
const margin = 4;

const folders = process.argv.length > 2
  ? process.argv.slice(2).map((f) => resolve(f))
  : readdirSync(join(repo, "elections"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(repo, "elections", d.name))
    .filter((dir) => existsSync(join(dir, "election.json")) && JSON.parse(readFileSync(join(dir, "election.json"), "utf8")).stateFips);
if (folders.length === 0) throw new Error("prepare: no election folder with \"stateFips\" in its election.json");
for (const folder of folders) writeOutlines(folder);

function writeOutlines(folder) {
  const election = JSON.parse(readFileSync(join(folder, "election.json"), "utf8"));
  const fips = election.stateFips;
  if (!/^\d\d$/.test(fips ?? "")) throw new Error(`${folder}/election.json: "stateFips" must be a two-digit Census code, not ${JSON.stringify(fips)}`);

  const satellites = new Set(readCsv(join(folder, "precincts.csv")).filter((p) => p.kind === "satellite").map((p) => p.county));
  const names = readCsv(join(folder, "counties.csv")).map((c) => c.county).filter((name) => !satellites.has(name));
  const shapes = allCounties.filter((f) => String(f.id).slice(0, 2) === fips);
  const byName = new Map(shapes.map((f) => [f.properties.name, f]));
  const noShape = names.filter((name) => !byName.has(name));
  if (noShape.length > 0) {
    throw new Error(`${folder}: counties.csv names counties us-atlas does not have in state ${fips}: ${noShape.join(", ")}`);
  }

  // The folder's counties only: a whole state's caucus draws the state, a county party's or a senate district's night
  // draws its own counties, filling the same box.
  const state = { type: "FeatureCollection", features: shapes.filter((f) => names.includes(f.properties.name)) };
  const { projection, width, height } = fitted(state);
  const path = geoPath(projection).digits(1);

  const counties = names.map((name) => {
    const shape = byName.get(name);
    const [cx, cy] = path.centroid(shape);
    return { fips: String(shape.id), name, path: path(shape), centroid: [Math.round(cx), Math.round(cy)] };
  });
  const out = join(folder, "county-outlines.json");
  const document = { source: `us-atlas ${atlasVersion} counties-10m (U.S. Census Bureau cartographic boundaries)`, stateFips: fips, width, height, counties };
  writeFileSync(out, JSON.stringify(document) + "\n");
  console.log(`prepare: ${counties.length} of the ${shapes.length} counties of state ${fips} (${width}×${height}) written to ${relative(process.cwd(), out)}`);
}

// Lambert conformal conic, the projection of most states' plane coordinates, with the standard parallels a sixth of
// the state's latitude span inside its edges (the usual rule for a conic's parallels: scale error spread evenly) and
// the central meridian through its middle, so north is up and shapes are true in any state, wide or tall.
function fitted(state) {
  const [[west, south], [east, north]] = geoPath().bounds(state);
  const span = north - south;
  const projection = geoConicConformal()
    .parallels([south + span / 6, north - span / 6])
    .rotate([-(west + east) / 2, 0])
    .fitExtent([[margin, margin], [maxWidth - margin, maxHeight - margin]], state);
  // The state now fills the box one way; crop the other way to it and fit again, so the drawing has no empty sides.
  const [[x0, y0], [x1, y1]] = geoPath(projection).bounds(state);
  const width = Math.ceil(x1 - x0) + 2 * margin;
  const height = Math.ceil(y1 - y0) + 2 * margin;
  projection.fitExtent([[margin, margin], [width - margin, height - margin]], state);
  return { projection, width, height };
}

// RFC 4180 rows as objects keyed by the header (Iowa's precinct names hold quoted commas).
function readCsv(file) {
  const rows = [];
  let row = [], field = "", quoted = false;
  const text = readFileSync(file, "utf8");
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") { row.push(field); field = ""; }
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field); field = "";
      if (row.some((f) => f !== "")) rows.push(row);
      row = [];
    } else field += ch;
  }
  if (field !== "" || row.length > 0) { row.push(field); rows.push(row); }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), (r[i] ?? "").trim()])));
}

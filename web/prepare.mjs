// Prepares the war room's county map from npm packages, so nothing is copied by hand or fetched from a CDN:
// us-atlas's Census counties (TopoJSON, longitude/latitude) → Iowa's 99 counties (state FIPS 19) →
// pre-projected SVG path strings. The page then draws <path d="…"> elements and needs no map library.
// Output: src/Caucus.Api/wwwroot/data/iowa-counties.json (git-ignored; written again by `dotnet build` when missing).
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { geoConicConformal, geoPath } from "d3-geo";
import { feature } from "topojson-client";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..");
const require = createRequire(import.meta.url);
const atlas = JSON.parse(readFileSync(require.resolve("us-atlas/counties-10m.json"), "utf8"));

const width = 800;
const height = 520;
const iowaFips = "19";

// The election folder's county names (satellite "counties" have no shape and are left out).
const electionCounties = readFileSync(join(repo, "elections/iowa-2020/counties.csv"), "utf8")
  .trim().split(/\r?\n/).slice(1)
  .map((line) => line.split(",")[0])
  .filter((name) => !name.includes("Satellite"));

const iowa = feature(atlas, atlas.objects.counties).features.filter((f) => String(f.id).startsWith(iowaFips));
const byName = new Map(iowa.map((f) => [f.properties.name, f]));
const missing = electionCounties.filter((name) => !byName.has(name));
if (missing.length > 0 || iowa.length !== electionCounties.length) {
  throw new Error(`Iowa counties in us-atlas (${iowa.length}) do not match the election folder (${electionCounties.length}); missing: ${missing.join(", ")}`);
}

// Iowa's own conformal projection (the parallels of its state plane zones), fitted to the drawing.
const collection = { type: "FeatureCollection", features: iowa };
const projection = geoConicConformal().parallels([40.6, 43.3]).rotate([93.5, 0]).fitExtent([[4, 4], [width - 4, height - 4]], collection);
const path = geoPath(projection).digits(1);

const counties = electionCounties.map((name) => {
  const shape = byName.get(name);
  const [x, y] = path.centroid(shape);
  return { fips: String(shape.id), name, path: path(shape), centroid: [Math.round(x), Math.round(y)] };
});

const out = join(repo, "src/Caucus.Api/wwwroot/data/iowa-counties.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ source: "us-atlas 3.0.1 counties-10m (U.S. Census Bureau cartographic boundaries)", width, height, counties }));
console.log(`prepare: ${counties.length} Iowa counties written to ${out}`);

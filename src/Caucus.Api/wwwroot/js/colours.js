// One colour per group, kept the same on every chart and on the map (chosen to stay apart on a projector).
// Indexed by the election's candidate order; the strongest hues sit where Iowa 2020's leading groups are.
const palette = ["#8c564b", "#1f77b4", "#17becf", "#9467bd", "#bcbd22", "#e377c2", "#ff7f0e", "#393b79", "#2ca02c", "#ad494a", "#d62728", "#637939", "#7f7f7f", "#843c39"];
const known = new Map();

export function colourOf(group, candidates) {
  if (!known.has(group)) {
    const index = candidates.indexOf(group);
    known.set(group, palette[(index >= 0 ? index : known.size) % palette.length]);
  }
  return known.get(group);
}

export const tieColour = "#4a5563";

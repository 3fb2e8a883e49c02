// Words the admin page's modules share: the review reasons and result statuses as an admin reads them.
import { gameName } from "./tie-input.js";

export const plural = (n, one, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

export const statusLabels = {
  test: "Test",
  "unofficial-partial": "Unofficial, partial",
  "unofficial-complete": "Unofficial, complete",
  certified: "Certified",
};

/** The reasons in the order the filter chips show them; the game of chance is named as the rule set names it. */
export function reasonLabels(election) {
  const game = gameName(election.form.ties);
  return {
    "rules-broken": "Rules broken",
    "sources-disagree": "Sources disagree",
    "pending-toss": `${game[0].toUpperCase()}${game.slice(1)} pending`,
    "double-entry-mismatch": "Double-entry mismatch",
    "final-exceeds-first": "Final larger than first",
    "same-numbers-as-another-precinct": "Same numbers as another precinct",
    implausible: "Implausible: held out of the totals",
    "hotline-entry-differs": "A later hotline entry differs",
    "photo-without-numbers": "Photo received, numbers not entered",
  };
}

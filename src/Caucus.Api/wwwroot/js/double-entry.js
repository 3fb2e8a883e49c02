// How a precinct's double-entry state reads to an operator (the rule itself is the server's).

export function describeDoubleEntry(doubleEntry) {
  if (!doubleEntry) return null;
  switch (doubleEntry.status) {
    case "awaiting-second-entry":
      return { status: doubleEntry.status, tone: "warn", text: "Awaiting a second entry: it counts once another operator enters the same numbers." };
    case "confirmed":
      return { status: doubleEntry.status, tone: "ok", text: "Confirmed by a second entry: counted." };
    case "mismatch":
      return {
        status: doubleEntry.status,
        tone: "bad",
        text: `Mismatch between the two entries (${(doubleEntry.differences ?? []).join("; ")}): neither counts until a matching entry or an admin resolves it.`,
      };
    case "later-entry-differs":
      return {
        status: doubleEntry.status,
        tone: "bad",
        text: `A later entry differs from the confirmed numbers (${(doubleEntry.differences ?? []).join("; ")}): the confirmed numbers still count until two operators agree on new ones. Call the captain back.`,
      };
    default:
      return { status: doubleEntry.status, tone: "warn", text: doubleEntry.status };
  }
}

/**
 * The same state as one operator's console says it, in plain words: on a mismatch (or a later differing entry) each
 * differing field by name, with what this operator entered and what the other operator entered. `mine` is the body
 * this console sent; the server lists each difference as "final.Warren: 9 vs 7" (newest entry first), so the value
 * that is not this console's is the other operator's.
 */
export function describeForOperator(doubleEntry, mine, game = "game of chance") {
  const said = describeDoubleEntry(doubleEntry);
  if (!said || !["mismatch", "later-entry-differs"].includes(doubleEntry.status) || !mine) return said;
  const fields = (doubleEntry.differences ?? []).map((difference) => inWords(difference, mine, game, doubleEntry.operators));
  const what = fields.join("; ");
  const text = doubleEntry.status === "mismatch"
    ? `Mismatch with the other operator's entry — ${what}. Neither entry counts: call the captain back and enter the precinct again.`
    : `The other operator's later entry differs from the confirmed numbers — ${what}. The confirmed numbers still count until two operators agree: call the captain back.`;
  return { ...said, text };
}

/** operators: the names of the two entries a difference compares, in its order ("Hotline operator 2", …), when the server gave them. */
function inWords(difference, mine, game, operators) {
  const match = /^(\w+)(?:\.(.+))?: (.*) vs (.*)$/.exec(difference);
  if (!match) return difference;
  const [, field, group, a, b] = match;
  const name = field === "attendees" ? "attendance"
    : field === "first" ? `${group}'s first alignment`
      : field === "final" ? `${group}'s final alignment`
        : field === "tieBreaks" ? `the ${game}` : `${field}${group ? ` ${group}` : ""}`;
  const own = field === "attendees" ? String(mine.attendees)
    : field === "first" || field === "final" ? String(mine[field]?.[group] ?? 0)
      // The server says an outcome or "none"; this console knows only whether it recorded one.
      : field === "tieBreaks" ? (!mine.tieBreaks ? "none" : a === "none" ? b : b === "none" ? a : null)
        : null;
  const [nameA, nameB] = operators ?? [null, null];
  if (own === null || (own !== a && own !== b)) {
    return nameA ? `${name}: ${nameA} entered ${a}, ${nameB} entered ${b}` : `${name}: ${a} in one entry, ${b} in the other`;
  }
  const [you, them] = own === a ? [nameA, nameB] : [nameB, nameA];
  return `${name}: you${you ? ` (${you})` : ""} entered ${own}, ${them ?? "the other operator"} entered ${own === a ? b : a}`;
}

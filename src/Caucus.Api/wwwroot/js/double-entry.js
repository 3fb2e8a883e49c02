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

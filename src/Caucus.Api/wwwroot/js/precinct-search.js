// Precinct search by county and name: every word typed must appear in "County NAME" (e.g. "adair 1nw").
// Enter takes the first match; the matches are buttons, reachable with Tab or the down arrow.
import { el, replace } from "./dom.js";

const shown = 8;

/** withDelegates: false where no precinct elects a delegate of its own (a one-round count: the headline is statewide). */
export function precinctSearch({ input, list, precincts, onPick, withDelegates = true }) {
  const matches = () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return [];
    return precincts.filter((p) => {
      const text = `${p.county} ${p.name} ${p.id}`.toLowerCase();
      return words.every((w) => text.includes(w));
    }).slice(0, shown);
  };
  const render = () => {
    const found = matches();
    replace(list, found.map((p) => {
      const button = el("button", { type: "button", "data-precinct": p.id },
        withDelegates ? `${p.county} — ${p.name} (${p.delegates} delegate${p.delegates === 1 ? "" : "s"}${p.kind === "satellite" ? ", satellite" : ""})`
          : `${p.county} — ${p.name}`);
      button.addEventListener("click", () => pick(p));
      button.addEventListener("keydown", (event) => {
        if (event.key === "ArrowDown") button.parentElement.nextElementSibling?.querySelector("button")?.focus();
        if (event.key === "ArrowUp") (button.parentElement.previousElementSibling?.querySelector("button") ?? input).focus();
      });
      return el("li", {}, button);
    }));
    list.hidden = found.length === 0;
  };
  const pick = (p) => {
    input.value = `${p.county} ${p.name}`;
    replace(list);
    list.hidden = true;
    onPick(p);
  };
  input.addEventListener("input", render);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      const first = matches()[0];
      if (first) pick(first);
    }
    if (event.key === "ArrowDown") list.querySelector("button")?.focus();
  });
}

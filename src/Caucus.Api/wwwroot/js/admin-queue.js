// The review queue as a triage list: one card per precinct (its items inside, each with its own decision), heaviest
// first (the headline units its delegates carry: what a decision on it can move), filter chips by reason with counts,
// a search by county or precinct name, and j/k or ↓/↑ between cards. A card is one line until opened; a short queue
// (SHORT or fewer precincts) needs no triage and is shown open. An item already on screen is never rebuilt, so a
// reason being typed or a correction being entered survives a refresh.
import { byId, el, replace } from "./dom.js";
import { plural } from "./admin-labels.js";
import { buildItem } from "./admin-item.js";
import { photoStrip } from "./admin-photos.js";
import { versionsTable } from "./admin-versions.js";

const SHORT = 5;

export class ReviewQueue {
  constructor(ctx) {
    this.ctx = ctx;
    this.unit = ctx.election.headline.abbreviation;
    this.items = new Map(); // key → { root, versions, signature, item }
    this.cards = new Map(); // precinct → { root, head, body, open }
    this.reason = null; // the chip pressed, null for all
    this.query = "";
    this.doc = null;
    // A statewide headline (headline.statewide): no precinct carries any of it on its own, so every weight is 0 and the
    // queue is in county and name order; saying "heaviest first" and "0 delegates" on every card would mislead.
    this.statewide = Boolean(ctx.election.headline.statewide);
    // "the delegates (delegates)": the abbreviation only where it says something the name does not.
    const sameName = ctx.election.headline.name.toLowerCase() === this.unit.toLowerCase();
    byId("queue-order").textContent = (this.statewide
      ? `By county and name: the ${ctx.election.headline.name.toLowerCase()} are allocated statewide, so no precinct carries any of its own. `
      : `Heaviest first: ordered by the ${ctx.election.headline.name.toLowerCase()}${sameName ? "" : ` (${this.unit})`} a precinct's delegates carry, what a decision on it can move. `) +
      "Press j / k or ↓ / ↑ to move between precincts, Enter to open one.";
    byId("queue-search").addEventListener("input", (event) => {
      this.query = event.target.value.trim().toLocaleLowerCase();
      this.applyFilter();
    });
    // On the document, so j / k reach the queue from anywhere but a field; the arrows only from a card.
    document.addEventListener("keydown", (event) => this.onKey(event));
  }

  render(doc) {
    this.doc = doc;
    // Where the focus was (a decision's button, usually): when its item or card goes, the focus moves to the card now in
    // that place, so a keyboard user carries on down the queue instead of starting again at the heading.
    const focusedCard = document.activeElement?.closest?.(".precinct-card") ?? null;
    const shownBefore = [...byId("review-items").querySelectorAll(".precinct-card:not([hidden])")];
    const focusedAt = focusedCard ? shownBefore.indexOf(focusedCard) : -1;
    const keys = new Set(doc.items.map((i) => i.key));
    for (const [key, entry] of this.items) {
      if (!keys.has(key)) {
        entry.root.remove();
        this.items.delete(key);
      }
    }
    // Precincts in the server's order of items, then heaviest first (ties by county and name, so the order is stable).
    const byPrecinct = new Map();
    for (const item of doc.items) {
      if (!byPrecinct.has(item.precinct)) byPrecinct.set(item.precinct, []);
      byPrecinct.get(item.precinct).push(item);
    }
    const precincts = [...byPrecinct.values()].sort((a, b) => Number(b[0].weight) - Number(a[0].weight)
      || a[0].county.localeCompare(b[0].county) || a[0].name.localeCompare(b[0].name));
    const open = precincts.length <= SHORT;
    for (const [precinct, card] of this.cards) {
      if (!byPrecinct.has(precinct)) {
        card.root.remove();
        this.cards.delete(precinct);
      }
    }
    const wanted = precincts.map((items) => {
      const card = this.cards.get(items[0].precinct) ?? this.buildCard(items[0], open);
      this.cards.set(items[0].precinct, card);
      card.items = items;
      this.fillHead(card, items);
      placeInOrder(card.body, items.map((item) => this.entryFor(item).root));
      card.body.append(card.photos); // after the numbers, whatever the items
      if (!card.body.hidden) card.photos.load();
      return card.root;
    });
    placeInOrder(byId("review-items"), wanted);
    this.renderChips(doc.items);
    this.applyFilter();
    if (focusedAt >= 0 && !focusedCard.contains(document.activeElement)) {
      const shown = [...byId("review-items").querySelectorAll(".precinct-card:not([hidden]) > .card-head")];
      const still = focusedCard.isConnected ? focusedCard.querySelector(":scope > .card-head") : null;
      (still ?? shown[Math.min(focusedAt, shown.length - 1)])?.focus();
    }
  }

  entryFor(item) {
    const signature = JSON.stringify(item);
    let entry = this.items.get(item.key);
    if (!entry) {
      entry = buildItem(this.ctx, item);
      this.items.set(item.key, entry);
    } else if (entry.signature !== signature) {
      // The same decision, other numbers to compare (e.g. a third precinct with the same alignments): the table only.
      replace(entry.versions, versionsTable(this.ctx.election, item));
    }
    entry.signature = signature;
    entry.item = item;
    return entry;
  }

  buildCard(first, open) {
    const id = `card-${first.precinct.replace(/[^a-z0-9]+/gi, "-")}`;
    const head = el("button", { type: "button", class: "card-head", "aria-expanded": String(open), "aria-controls": `${id}-body`,
      "aria-keyshortcuts": "J K ArrowDown ArrowUp" });
    const body = el("div", { id: `${id}-body`, class: "card-body", hidden: !open });
    const root = el("section", { class: "precinct-card", "data-precinct": first.precinct, "aria-label": `${first.county} — ${first.name}` }, head, body);
    const photos = photoStrip(this.ctx, first.precinct, `${first.county} — ${first.name}`);
    head.addEventListener("click", () => {
      const opening = body.hidden;
      body.hidden = !opening;
      head.setAttribute("aria-expanded", String(opening));
      if (opening) photos.load();
    });
    return { root, head, body, photos, items: [] };
  }

  fillHead(card, items) {
    const first = items[0];
    card.root.dataset.weight = first.weight;
    card.root.dataset.reasons = items.map((i) => i.reason).join(" ");
    const kinds = [...new Set(items.map((i) => i.reason))];
    const signature = JSON.stringify([first.weight, items.map((i) => i.key)]);
    if (card.signature === signature) return;
    card.signature = signature;
    replace(card.head,
      el("span", { class: "card-place" }, `${first.county} — ${first.name}`),
      this.statewide ? null : el("span", { class: "card-weight" }, `${first.weight} ${this.unit}`),
      el("span", { class: "card-reasons" }, kinds.map((r) => el("span", { class: "badge" }, this.ctx.labels[r] ?? r))),
      items.length > 1 ? el("span", { class: "card-count muted" }, `${items.length} items`) : null);
  }

  renderChips(items) {
    const counts = new Map();
    for (const item of items) counts.set(item.reason, (counts.get(item.reason) ?? 0) + 1);
    if (this.reason && !counts.has(this.reason)) this.reason = null;
    const chip = (reason, label, n) => {
      const button = el("button", { type: "button", class: "chip", "data-reason": reason ?? "all", "aria-pressed": String(this.reason === reason) },
        label, " ", el("span", { class: "chip-count" }, n.toLocaleString()));
      button.addEventListener("click", () => {
        this.reason = reason;
        this.renderChips(this.doc.items);
        this.applyFilter();
        byId("queue-chips").querySelector(`[data-reason="${reason ?? "all"}"]`)?.focus();
      });
      return button;
    };
    const known = Object.keys(this.ctx.labels).filter((r) => counts.has(r));
    const others = [...counts.keys()].filter((r) => !known.includes(r)).sort();
    replace(byId("queue-chips"), chip(null, "All", items.length),
      [...known, ...others].map((r) => chip(r, this.ctx.labels[r] ?? r, counts.get(r))));
  }

  /** Shows the cards that have an item of the pressed reason and whose county or name holds the search text. */
  applyFilter() {
    let shownCards = 0;
    for (const card of this.cards.values()) {
      const items = card.items;
      const reasonOk = !this.reason || items.some((i) => i.reason === this.reason);
      const text = `${items[0].county} ${items[0].name}`.toLocaleLowerCase();
      const visible = reasonOk && (!this.query || text.includes(this.query));
      card.root.hidden = !visible;
      if (visible) shownCards++;
      // Inside a shown card, a chip also narrows the items to its reason.
      for (const item of items) {
        const entry = this.items.get(item.key);
        if (entry) entry.root.hidden = Boolean(this.reason) && item.reason !== this.reason;
      }
    }
    const doc = this.doc;
    if (!doc) return;
    const precincts = this.cards.size;
    const summary = doc.items.length === 0
      ? `Nothing needs a human right now (results version ${doc.version}).`
      : `${plural(doc.items.length, "report")} at ${plural(precincts, "precinct")} need${doc.items.length === 1 ? "s" : ""} a human` +
        `${shownCards < precincts ? `; ${plural(shownCards, "precinct")} shown` : ""} (results version ${doc.version}).`;
    byId("queue-summary").textContent = summary;
  }

  /** j / ↓ and k / ↑ move the focus between the shown cards' heads; typing in a field is left alone. */
  onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable]")) return;
    const step = { j: 1, ArrowDown: 1, k: -1, ArrowUp: -1 }[event.key];
    if (!step) return;
    const heads = [...byId("review-items").querySelectorAll(".precinct-card:not([hidden]) > .card-head")];
    if (heads.length === 0) return;
    const card = target instanceof HTMLElement ? target.closest(".precinct-card") : null;
    const at = card ? heads.indexOf(card.querySelector(":scope > .card-head")) : -1;
    // Arrow keys inside an open card's table or buttons keep their own meaning; j/k work anywhere but in a field.
    if (event.key.startsWith("Arrow") && !target.classList?.contains("card-head")) return;
    event.preventDefault();
    const next = heads[Math.min(heads.length - 1, Math.max(0, at + step))];
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  }
}

/** Moves only what is out of place: moving a node would take the focus away from a reason being typed. */
function placeInOrder(container, nodes) {
  let cursor = container.firstElementChild;
  for (const node of nodes) {
    if (node === cursor) cursor = cursor.nextElementSibling;
    else container.insertBefore(node, cursor);
  }
}

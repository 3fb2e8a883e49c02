// The outcome of a tie the rules leave to chance, entered as the election's rule set records it (election.form.ties):
// a coin toss records who won; a card draw records the card each tied group drew, and the server says who that favours.
import { el, replace } from "./dom.js";

const ranks = [["14", "Ace"], ["13", "King"], ["12", "Queen"], ["11", "Jack"], ...[10, 9, 8, 7, 6, 5, 4, 3, 2].map((n) => [String(n), String(n)])];
const suits = ["spades", "hearts", "diamonds", "clubs"];
const rankName = Object.fromEntries(ranks);

/** What the game is called, in words ("coin toss", "card draw", "drawing of lots"). */
export function gameName(method) {
  return { "coin-toss": "coin toss", "card-draw": "card draw", "drawn-lot": "drawing of lots" }[method] ?? "game of chance";
}

/** The game in the plural, for lists and notes ("coin tosses", "card draws"). */
export function gamesName(method) {
  return { "coin-toss": "coin tosses", "card-draw": "card draws", "drawn-lot": "drawings of lots" }[method] ?? "games of chance";
}

export class TieInput {
  /** root: where the question is shown. method: election.form.ties. onChange: after each answer. */
  constructor(root, { method, idPrefix, onChange }) {
    this.root = root;
    this.method = method;
    this.idPrefix = idPrefix;
    this.onChange = onChange;
    this.tie = null; // { groups, delegates, description, winners: [], cards: {group: {rank, suit}} }
  }

  get cardDraw() {
    return this.method === "card-draw";
  }

  /** Keeps the question while the server says the rules leave one to chance (or applied the answer). */
  follow(result) {
    const pending = result.pendingTieBreak;
    const same = (a, b) => a && b && a.groups.join("|") === b.groups.join("|");
    if (pending) {
      if (!same(this.tie, pending)) this.tie = { groups: pending.groups, delegates: pending.delegates, description: pending.description, winners: [], cards: {} };
    } else if (!(this.tie && result.allocation?.status === "tie-broken")) {
      this.tie = null;
    }
    this.render();
  }

  reset() {
    this.tie = null;
    this.render();
  }

  /** True when a tie is pending and its outcome is not fully entered. */
  get missing() {
    if (!this.tie) return false;
    if (this.cardDraw) return this.tie.groups.some((g) => !this.tie.cards[g]?.rank || !this.tie.cards[g]?.suit);
    return this.tie.winners.length !== this.tie.delegates;
  }

  /** Why Send waits while the outcome is missing; on the hotline the operator asks the caller for it. */
  missingMessage(onTheHotline = false) {
    if (this.cardDraw) {
      return onTheHotline
        ? "The rules leave this to a card draw: ask which card each tied group drew and enter them."
        : "The rules leave this to a card draw: enter the card each tied group drew first.";
    }
    return onTheHotline
      ? `The rules leave a ${gameName(this.method)} to chance here: ask who won it and tick the winner.`
      : `The rules leave a ${gameName(this.method)} to chance here: tick who won it first.`;
  }

  /** The tieBreaks entry for the report body, or null while it is incomplete. */
  entry() {
    if (!this.tie || this.missing) return null;
    const groups = this.tie.groups;
    if (this.cardDraw) {
      return { groups, cards: groups.map((group) => ({ group, rank: Number(this.tie.cards[group].rank), suit: this.tie.cards[group].suit })) };
    }
    return { groups, winners: this.tie.winners };
  }

  /** One line for the read-back. */
  readBack(entry) {
    if (entry.cards) return `Card draw: ${entry.cards.map((c) => `${c.group} ${rankName[String(c.rank)]} of ${c.suit}`).join(", ")}.`;
    return `Toss: ${entry.winners.join(" and ")} won (among ${entry.groups.join(", ")}).`;
  }

  render() {
    if (!this.tie) {
      replace(this.root);
      return;
    }
    const tie = this.tie;
    // The prefix keeps two forms on one page (the admin page's corrections) from sharing a radio group.
    const name = `${this.idPrefix}-toss-${tie.groups.join("-")}`;
    if (this.cardDraw) {
      const rows = tie.groups.map((group, index) => {
        const rank = el("select", { id: `${name}-rank-${index}` }, el("option", { value: "" }, "rank…"),
          ranks.map(([value, label]) => el("option", { value, selected: tie.cards[group]?.rank === value }, label)));
        const suit = el("select", { id: `${name}-suit-${index}` }, el("option", { value: "" }, "suit…"),
          suits.map((s) => el("option", { value: s, selected: tie.cards[group]?.suit === s }, s)));
        const changed = () => {
          tie.cards[group] = { rank: rank.value, suit: suit.value };
          this.onChange?.();
        };
        rank.addEventListener("change", changed);
        suit.addEventListener("change", changed);
        return el("div", { class: "card-row" }, el("span", { class: "card-group" }, group),
          el("label", { for: rank.id, class: "visually-hidden" }, `${group}'s card: rank`), rank,
          el("label", { for: suit.id, class: "visually-hidden" }, `${group}'s card: suit`), suit);
      });
      replace(this.root, el("fieldset", {},
        el("legend", {}, "Which card did each group draw?"),
        el("p", {}, `The rules leave this to a card draw: ${tie.description}. Aces high; equal ranks: spades, hearts, diamonds, clubs.`),
        rows));
      return;
    }
    const single = tie.delegates === 1;
    const choices = tie.groups.map((group, index) => {
      const id = `${name}-${index}`;
      const input = el("input", { type: single ? "radio" : "checkbox", id, name, value: group, checked: tie.winners.includes(group) });
      input.addEventListener("change", () => {
        tie.winners = tie.groups.filter((_, i) => document.getElementById(`${name}-${i}`).checked);
        this.onChange?.();
      });
      return el("span", {}, input, " ", el("label", { for: id }, group));
    });
    replace(this.root, el("fieldset", {},
      el("legend", {}, single ? `Who won the ${gameName(this.method)}?` : `Who won the ${gameName(this.method)}? Pick ${tie.delegates}.`),
      el("p", {}, `The rules leave this to a ${gameName(this.method)}: ${tie.description}.`),
      choices));
  }
}

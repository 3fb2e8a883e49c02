// Reports waiting to be acknowledged, kept in localStorage so they survive a dead battery, a reload or a
// lost signal. Each keeps the Idempotency-Key it was given when it was saved: re-sending the same key is
// safe (the server stores the report once and answers again with the original revision).
import { api, ApiError, precinctPath } from "./api.js";
import { randomKey } from "./dom.js";

const maxDelayMs = 15_000;

/**
 * Entry states: "saved" (kept here, not sent yet), "sending", "waiting" (server unreachable or busy: retried
 * at nextAttemptAt), "stored" (acknowledged: response holds the server's answer), "refused" (the server said
 * no: a 4xx that sending again cannot fix; problem holds why).
 */
export class Outbox {
  constructor(storageKey, token, onChange) {
    this.storageKey = storageKey;
    this.token = token;
    this.onChange = onChange;
    this.timer = null;
    this.busy = false;
    addEventListener("online", () => this.flush());
    // Entries caught mid-send by a reload are sent again (same key, so at most once on the server).
    this.save(this.entries().map((e) => (e.state === "sending" ? { ...e, state: "waiting" } : e)));
  }

  entries() {
    try {
      return JSON.parse(localStorage.getItem(this.storageKey) ?? "[]");
    } catch {
      return [];
    }
  }

  save(entries) {
    localStorage.setItem(this.storageKey, JSON.stringify(entries));
    this.onChange?.(entries);
  }

  update(key, change) {
    this.save(this.entries().map((e) => (e.key === key ? { ...e, ...change } : e)));
  }

  /** Keeps the report first, then sends it; returns its entry. */
  add(precinct, label, body) {
    const entry = { key: randomKey(), precinct, label, body, state: "saved", attempts: 0, savedAt: new Date().toISOString() };
    // Only the latest few acknowledged entries are worth showing.
    const kept = this.entries().filter((e) => e.state !== "stored" && e.state !== "refused").concat(
      this.entries().filter((e) => e.state === "stored" || e.state === "refused").slice(-9));
    this.save([...kept, entry]);
    this.flush();
    return entry;
  }

  remove(key) {
    this.save(this.entries().filter((e) => e.key !== key));
  }

  /** Sends every entry that is due, oldest first, then schedules the next attempt if some are still waiting. */
  async flush() {
    if (this.busy) return;
    this.busy = true;
    clearTimeout(this.timer);
    try {
      const now = Date.now();
      for (const entry of this.entries()) {
        const due = entry.state === "saved" || (entry.state === "waiting" && (entry.nextAttemptAt ?? 0) <= now);
        if (due) await this.send(entry);
      }
    } finally {
      this.busy = false;
    }
    const waiting = this.entries().filter((e) => e.state === "waiting");
    if (waiting.length > 0) {
      const next = Math.min(...waiting.map((e) => e.nextAttemptAt ?? 0));
      this.timer = setTimeout(() => this.flush(), Math.max(250, next - Date.now()));
    }
  }

  async send(entry) {
    this.update(entry.key, { state: "sending", attempts: entry.attempts + 1 });
    try {
      const response = await api(`${precinctPath(entry.precinct)}/reports`, {
        token: this.token, method: "POST", body: entry.body, headers: { "Idempotency-Key": entry.key },
      });
      this.update(entry.key, { state: "stored", response, storedAt: new Date().toISOString(), problem: null });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.transient) {
        const backoff = Math.min(1000 * 2 ** Math.min(entry.attempts, 4), maxDelayMs);
        const delay = error.retryAfterSeconds ? error.retryAfterSeconds * 1000 : backoff;
        this.update(entry.key, { state: "waiting", nextAttemptAt: Date.now() + delay, lastError: error.message });
      } else {
        this.update(entry.key, { state: "refused", problem: error.message });
      }
    }
  }
}

// Server-Sent Events over fetch: EventSource cannot send an Authorization header, so the stream is read
// with a ReadableStream reader. It reconnects with backoff when the connection drops (a server restart,
// a network change), and when nothing at all arrives for longer than the server's 15 s keep-alive.

const quietLimitMs = 40_000;

/**
 * Follows `path` until stop() is called. onEvent(name, data) for each event; onState(state, detail) with
 * state "connecting" | "live" | "reconnecting" (detail: ms until the next attempt) | "refused" (detail: HTTP status).
 */
export function followStream(path, token, { onEvent, onState }) {
  let stopped = false;
  let controller = null;
  let delay = 1000;

  const run = async () => {
    while (!stopped) {
      controller = new AbortController();
      let watchdog = null;
      const feed = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => controller.abort(), quietLimitMs);
      };
      try {
        onState("connecting");
        feed();
        const response = await fetch(path, {
          // No token where results are public (the demo's war room): no header, as api.js.
          headers: token ? { Authorization: `Bearer ${token}`, Accept: "text/event-stream" } : { Accept: "text/event-stream" },
          signal: controller.signal,
          cache: "no-store",
        });
        if (response.status === 401 || response.status === 403) {
          clearTimeout(watchdog);
          onState("refused", response.status);
          return;
        }
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        onState("live");
        delay = 1000;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          feed();
          buffer += value.replace(/\r\n?/g, "\n");
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            dispatch(buffer.slice(0, end), onEvent);
            buffer = buffer.slice(end + 2);
          }
        }
      } catch {
        // Dropped, refused at the TCP level, or silent too long: try again below.
      } finally {
        clearTimeout(watchdog);
      }
      if (stopped) return;
      const wait = delay + Math.floor(Math.random() * 500);
      onState("reconnecting", wait);
      await new Promise((resolve) => setTimeout(resolve, wait));
      delay = Math.min(delay * 2, 10_000);
    }
  };
  run();
  return {
    stop() {
      stopped = true;
      controller?.abort();
    },
  };
}

function dispatch(block, onEvent) {
  let name = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) continue; // a keep-alive comment
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") name = value;
    else if (field === "data") data.push(value);
  }
  if (data.length === 0) return;
  let parsed;
  try {
    parsed = JSON.parse(data.join("\n"));
  } catch {
    return;
  }
  onEvent(name, parsed);
}

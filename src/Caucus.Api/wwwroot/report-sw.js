// The report page's service worker (registered by js/report.js with scope /report): a captain in a gym with no signal
// can reload the page and still see their precinct and their saved report. Network first, so a page online is never
// stale; what the page loaded last time is the fallback when the network fails. Only GETs of the page, its scripts and
// styles, and the three documents it starts from (the election, the credential, the precinct) are kept; reports
// (POSTs) always go to the network, and the page's outbox re-sends them until they are acknowledged.
const CACHE = "caucus-report-v1";
const SHELL = ["/report", "/css/site.css", "/css/report.css", "/favicon.svg", "/js/report.js"];

self.addEventListener("install", (event) => {
  // Best effort: the first visit's own requests fill the cache too (the fetch handler below).
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).catch(() => undefined).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith("caucus-report-") && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

const kept = (url) => url.origin === self.location.origin && (
  url.pathname === "/report" || url.pathname === "/report.html" || url.pathname === "/favicon.svg" ||
  url.pathname.startsWith("/js/") || url.pathname.startsWith("/css/") ||
  url.pathname === "/api/v1/election" || url.pathname === "/api/v1/me" || url.pathname.startsWith("/api/v1/precincts/"));

// The page names what it loaded before this worker controlled it (its modules and styles): kept at once, so the very
// first visit is enough to open offline later.
self.addEventListener("message", (event) => {
  const keep = (event.data?.keep ?? []).filter((href) => kept(new URL(href, self.location.origin)));
  // The page waits for the answer (on the port it sent) before it says it can open offline.
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(keep)).then(() => true, () => false)
    .then((ok) => event.ports[0]?.postMessage({ kept: ok })));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (!kept(url) || url.pathname.endsWith("/reports")) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const response = await fetch(request);
      if (response.ok) await cache.put(request, response.clone());
      return response;
    } catch (error) {
      const cached = await cache.match(request);
      if (cached) return cached;
      throw error;
    }
  })());
});

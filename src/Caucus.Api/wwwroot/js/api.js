// The API client: JSON over fetch with the bearer token. Every number the pages show comes from here.

export class ApiError extends Error {
  /** status 0 means the server could not be reached at all. */
  constructor(status, problem, retryAfterSeconds) {
    super(describe(status, problem));
    this.status = status;
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Worth sending again later: unreachable, overloaded, or the database is down (503 + Retry-After). */
  get transient() {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

function describe(status, problem) {
  if (status === 0) return "The server cannot be reached.";
  const errors = problem?.errors ? Object.entries(problem.errors).map(([field, messages]) => `${field}: ${messages.join(" ")}`) : [];
  return [problem?.title ?? `HTTP ${status}`, problem?.detail, ...errors].filter(Boolean).join(" — ");
}

export const precinctPath = (id) => `/api/v1/precincts/${encodeURIComponent(id)}`;

export async function api(path, { token, method = "GET", body, headers = {}, signal } = {}) {
  const sent = { Accept: "application/json", ...headers };
  if (token) sent.Authorization = `Bearer ${token}`;
  if (body !== undefined) sent["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, { method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body), signal, cache: "no-store" });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, null, null);
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { title: text.slice(0, 200) };
  }
  if (!response.ok) {
    const retryAfter = Number(response.headers.get("Retry-After"));
    throw new ApiError(response.status, data, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
  }
  return data;
}

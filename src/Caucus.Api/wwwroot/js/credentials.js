// The admin page's credentials: every issued token (GET /api/v1/admin/tokens: names as the review queue shows them,
// ids, roles, precincts, never a token or its hash) with a Revoke button, and for a precinct credential the phone number
// its captain texts from (PUT /api/v1/admin/tokens/{id}/phone; stored hashed, so the page shows only whether one is bound). Revoking asks first, then DELETE /api/v1/admin/tokens/{id}: the
// credential is refused by every instance within a second and its open streams close. A revoked one stays
// listed, as revoked, with who revoked it and when.
import { api, ApiError } from "./api.js";
import { byId, el, replace, time } from "./dom.js";

/** Fills #credentials; onRefused is called when the server refuses this page's own token. */
export async function showCredentials(token, onRefused) {
  const summary = byId("credentials-summary");
  let doc;
  try {
    doc = await api("/api/v1/admin/tokens", { token });
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) onRefused();
    summary.textContent = `The credentials could not be loaded (${error.message}); reload the page to try again.`;
    return;
  }
  const revoked = doc.tokens.filter((t) => t.revokedAt).length;
  summary.textContent = `${doc.tokens.length.toLocaleString()} issued, ${revoked.toLocaleString()} revoked. ` +
    "The admin token from CAUCUS_ADMIN_TOKEN is not listed: replace it by restarting with a new one.";
  const rows = doc.tokens.map((t) => row(t, token, onRefused));
  replace(byId("credentials"), el("div", { class: "table-scroll credentials-scroll" },
    el("table", { class: "credentials" },
      el("thead", {}, el("tr", {}, ...["Name", "Id", "Role", "Precinct", "Source", "Issued", "Status", "Phone", "Action"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, ...rows))));
}

function row(credential, token, onRefused) {
  const tr = el("tr", { "data-token-id": credential.id });
  fill(tr, credential, token, onRefused);
  return tr;
}

function fill(tr, credential, token, onRefused) {
  tr.dataset.revoked = credential.revokedAt ? "true" : "false";
  const status = credential.revokedAt
    ? el("td", { class: "revoked" }, `Revoked ${time(credential.revokedAt)} by ${credential.revokedBy}`)
    : el("td", {}, "Working");
  const action = el("td", {});
  if (!credential.revokedAt) {
    const button = el("button", { type: "button", class: "secondary", "aria-label": `Revoke ${credential.id}` }, "Revoke");
    button.addEventListener("click", () => revoke(tr, credential, button, token, onRefused));
    action.append(button);
  }
  // The name the review queue gives this sender; a revocation's answer carries none, so the listed one stays.
  tr.dataset.name = credential.name ?? tr.dataset.name ?? "";
  tr.dataset.phone = String(credential.phoneBound ?? tr.dataset.phone === "true");
  replace(tr, el("td", {}, tr.dataset.name || "—"), el("td", {}, el("code", {}, credential.id)), el("td", {}, credential.role), el("td", {}, credential.precinct ?? "—"),
    el("td", {}, credential.source ?? "—"), el("td", {}, time(credential.issuedAt)), status,
    el("td", {}, credential.role === "precinct" && !credential.revokedAt ? phoneCell(tr, credential, token, onRefused) : "—"), action);
}

/** Binds the number a captain will text from (binding it again here moves it from any other credential). */
function phoneCell(tr, credential, token, onRefused) {
  const input = el("input", { type: "tel", autocomplete: "off", size: 14, placeholder: "+1 515 555 0100", "aria-label": `Phone number for ${credential.id}` });
  const button = el("button", { type: "button", class: "secondary" }, tr.dataset.phone === "true" ? "Re-bind" : "Bind");
  const state = el("span", { class: "muted small" }, tr.dataset.phone === "true" ? "bound " : "");
  button.addEventListener("click", async () => {
    const message = byId("credentials-message");
    button.disabled = true;
    try {
      await api(`/api/v1/admin/tokens/${encodeURIComponent(credential.id)}/phone`, { token, method: "PUT", body: { phone: input.value } });
      tr.dataset.phone = "true";
      input.value = "";
      state.textContent = "bound ";
      button.textContent = "Re-bind";
      message.className = "message ok";
      message.textContent = `A phone number is bound to ${credential.id}: texts from it report for ${credential.precinct}.`;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) onRefused();
      message.className = "message bad";
      message.textContent = `${credential.id}: ${error.problem?.errors?.phone?.[0] ?? error.message}`;
    } finally {
      button.disabled = false;
      message.hidden = false;
    }
  });
  return el("span", { class: "phone-bind" }, state, input, " ", button);
}

async function revoke(tr, credential, button, token, onRefused) {
  const whose = credential.precinct ? `${credential.role} credential of ${credential.precinct}` : `${credential.role} credential`;
  if (!window.confirm(`Revoke ${credential.id}, a ${whose}? It stops working everywhere within a second; this cannot be undone.`)) return;
  button.disabled = true;
  const message = byId("credentials-message");
  try {
    const answer = await api(`/api/v1/admin/tokens/${encodeURIComponent(credential.id)}`, { token, method: "DELETE" });
    fill(tr, answer, token, onRefused);
    message.className = "message ok";
    message.textContent = `Revoked ${answer.id} at ${time(answer.revokedAt)}.`;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) onRefused();
    button.disabled = false;
    message.className = "message bad";
    message.textContent = `${credential.id} was not revoked: ${error.message}`;
  }
  message.hidden = false;
}

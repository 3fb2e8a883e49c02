// Sign-in: a page's link carries its token in the fragment (/#token=…, /hotline#token=…, /report#token=…&precinct=…).
// The fragment is never sent to the server, so the token stays out of access logs; it is kept in sessionStorage
// (this tab only, gone when it closes) and removed from the address bar so it is not bookmarked or shown on a projector.
import { byId } from "./dom.js";

const tokenKey = "caucus.token";
const precinctKey = "caucus.precinct";

export function readFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get("token");
  const precinct = params.get("precinct");
  if (token) sessionStorage.setItem(tokenKey, token.trim());
  if (precinct) sessionStorage.setItem(precinctKey, precinct);
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
}

export const currentToken = () => sessionStorage.getItem(tokenKey);
export const currentPrecinct = () => sessionStorage.getItem(precinctKey);
export const rememberPrecinct = (id) => sessionStorage.setItem(precinctKey, id);

/** Forgets the token (e.g. the server refused it) and shows the sign-in box again with the reason. */
export function signOut(reason) {
  sessionStorage.removeItem(tokenKey);
  sessionStorage.removeItem(precinctKey);
  if (reason) sessionStorage.setItem("caucus.signInMessage", reason);
  location.reload();
}

/**
 * Resolves with the token: from the fragment, from this tab's session, or typed into the page's sign-in box
 * (#sign-in with a form holding #sign-in-token). The page's content (#app) stays hidden until then.
 */
export function signIn() {
  readFragment();
  const app = byId("app");
  const box = byId("sign-in");
  const token = currentToken();
  if (token) {
    box.hidden = true;
    app.hidden = false;
    return Promise.resolve(token);
  }
  app.hidden = true;
  box.hidden = false;
  const message = sessionStorage.getItem("caucus.signInMessage");
  if (message) {
    byId("sign-in-message").textContent = message;
    byId("sign-in-message").hidden = false;
    sessionStorage.removeItem("caucus.signInMessage");
  }
  const input = byId("sign-in-token");
  input.focus();
  return new Promise((resolve) => {
    box.querySelector("form").addEventListener("submit", (event) => {
      event.preventDefault();
      const typed = input.value.trim();
      if (!typed) return;
      sessionStorage.setItem(tokenKey, typed);
      box.hidden = true;
      app.hidden = false;
      resolve(typed);
    });
  });
}

// Who may open the war room. With a token (the link's fragment, this tab's session, or typed in) as every page; but
// where results are public, as the demo serves them (Caucus:PublicResults, README "Try it first"), the room opens
// without one: the page asks the server once whether it reads results to anyone, and only asks for a token if not.
import { currentToken, readFragment, signIn } from "./auth.js";
import { api, ApiError } from "./api.js";
import { byId } from "./dom.js";

/** Resolves with the token to send, or null where results are public and none was given. */
export async function openWarRoom() {
  readFragment();
  if (currentToken()) return signIn();
  try {
    await api("/api/v1/results");
  } catch (error) {
    // 401/403: a read credential is needed; anything else (the server unreachable) asks for one too, as before.
    if (error instanceof ApiError) return signIn();
    throw error;
  }
  byId("sign-in").hidden = true;
  byId("app").hidden = false;
  return null;
}

// Who may open the war room. With a token (the link's fragment, this tab's session, or typed in) as every page; but
// where results are public, as the demo serves them (Caucus:PublicResults, README "Try it first"), the room opens
// without one: the page asks the server once (GET /api/v1/results/access) and asks for a token only if it must.
import { currentToken, readFragment, signIn } from "./auth.js";
import { api } from "./api.js";
import { byId } from "./dom.js";

/** Resolves with the token to send, or null where results are public and none was given. */
export async function openWarRoom() {
  readFragment();
  if (currentToken()) return signIn();
  // Asked of an anonymous endpoint, so a room that needs a token is not told 401 on the way to the sign-in box.
  const access = await api("/api/v1/results/access").catch(() => ({ public: false }));
  if (!access.public) return signIn();
  byId("sign-in").hidden = true;
  byId("app").hidden = false;
  return null;
}

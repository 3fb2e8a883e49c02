// Sends a photo of the signed worksheet for the precinct on screen (README, "Worksheet photos"): the report page's
// camera, the hotline console's file. Headquarters checks a disputed number against it; it is not the report.
import { precinctPath } from "./api.js";

export function photoUpload({ input, status, token, precinct }) {
  const say = (tone, text) => {
    status.className = `message ${tone}`;
    status.textContent = text;
    status.hidden = false;
  };
  input.addEventListener("change", async () => {
    const file = input.files?.[0];
    const id = precinct();
    if (!file) return;
    if (!id) return say("bad", "Choose the precinct first.");
    say("warn", `Sending the photo (${Math.round(file.size / 1024).toLocaleString()} KB)…`);
    try {
      const response = await fetch(`${precinctPath(id)}/photos`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": file.type || "application/octet-stream" },
        body: file,
      });
      if (response.ok) {
        say("ok", `Photo received by the party at ${new Date().toLocaleTimeString()}. It does not replace the numbers: send them too.`);
      } else {
        const problem = await response.json().catch(() => ({}));
        say("bad", `Photo not received: ${problem.detail ?? response.statusText}`);
      }
    } catch {
      say("bad", "Photo not received: no network. Try again when you have a signal.");
    } finally {
      input.value = "";
    }
  });
}

// The worksheet photos of a precinct on its review card, beside the numbers: headquarters checks a disputed number
// against the signed sheet. The bytes need the admin's token, so each is fetched and shown from a blob URL. A photo
// keeps no EXIF (its orientation goes with it), so each can be turned.
import { api, precinctPath } from "./api.js";
import { el, replace, time } from "./dom.js";

const channels = { page: "from the report page", mms: "by MMS", hotline: "from the hotline" };

export function photoStrip(ctx, precinct, place) {
  const root = el("div", { class: "photos", "data-photos": precinct });
  let loaded = false;
  root.load = async () => {
    if (loaded) return;
    loaded = true;
    let listed;
    try {
      listed = await api(`${precinctPath(precinct)}/photos`, { token: ctx.token });
    } catch (error) {
      replace(root, el("p", { class: "message bad" }, `Photos could not be loaded: ${error.message}`));
      return;
    }
    if (listed.photos.length === 0) {
      replace(root);
      return;
    }
    const figures = await Promise.all(listed.photos.map(async (photo, i) => {
      const img = el("img", { alt: `Worksheet photo ${i + 1} of ${place}, ${channels[photo.channel] ?? photo.channel}`, loading: "lazy" });
      const response = await fetch(photo.url, { headers: { Authorization: `Bearer ${ctx.token}` } });
      if (response.ok) img.src = URL.createObjectURL(await response.blob());
      let turn = 0;
      const rotate = el("button", { type: "button", class: "secondary small" }, "Turn ↻");
      rotate.addEventListener("click", () => {
        turn = (turn + 90) % 360;
        img.style.transform = `rotate(${turn}deg)`;
      });
      return el("figure", { class: "photo" },
        el("a", { href: img.src || photo.url, target: "_blank", rel: "noopener" }, img),
        el("figcaption", { class: "muted small" }, `${channels[photo.channel] ?? photo.channel}, ${time(photo.receivedAt)} `, rotate));
    }));
    replace(root, el("h4", {}, `Worksheet photo${figures.length === 1 ? "" : "s"}`), el("div", { class: "photo-row" }, figures));
  };
  return root;
}

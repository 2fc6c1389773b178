// Entry point bundled by esbuild into priv/static/assets/app.js (+ app.css).
import "../css/app.css";
import dayjs from "dayjs";
import relativeTime from "dayjs/plugin/relativeTime";
import { nanoid } from "nanoid";

dayjs.extend(relativeTime);

const startedAt = dayjs();
const clientId = nanoid(10);

function render() {
  const el = document.getElementById("kube-native");
  if (!el) return;
  el.textContent = `client ${clientId} loaded ${startedAt.fromNow()}`;
}

if (typeof document !== "undefined") {
  document.addEventListener("DOMContentLoaded", () => {
    render();
    setInterval(render, 30_000);
  });
}

export { clientId, startedAt };

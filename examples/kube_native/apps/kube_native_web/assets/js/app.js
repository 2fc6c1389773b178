// Entry point bundled by esbuild into priv/static/assets/app.js (+ app.css).
import "../css/app.css";
import { Chart, LineController, LineElement, PointElement, LinearScale, CategoryScale } from "chart.js";
import dayjs from "dayjs";
import relativeTime from "dayjs/plugin/relativeTime";
import { debounce, takeRight } from "lodash-es";
import { nanoid } from "nanoid";
import { h, render as renderVNode } from "preact";
import { createStore } from "zustand/vanilla";

dayjs.extend(relativeTime);
Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale);

const startedAt = dayjs();
const clientId = nanoid(10);

// Recent page-visibility samples, kept in a small store and drawn as a line chart.
const store = createStore((set) => ({
  samples: [],
  record: (value) => set((state) => ({ samples: takeRight([...state.samples, value], 20) })),
}));

function Status({ samples }) {
  return h(
    "p",
    { class: "kn-status" },
    `client ${clientId} loaded ${startedAt.fromNow()}, ${samples.length} samples`,
  );
}

function mount() {
  const el = document.getElementById("kube-native");
  if (!el) return;
  const canvas = document.createElement("canvas");
  const status = document.createElement("div");
  el.replaceChildren(status, canvas);
  const chart = new Chart(canvas, {
    type: "line",
    data: { labels: [], datasets: [{ label: "visible", data: [] }] },
    options: { animation: false },
  });
  const draw = debounce(({ samples }) => {
    renderVNode(h(Status, { samples }), status);
    chart.data.labels = samples.map((_, i) => i);
    chart.data.datasets[0].data = samples;
    chart.update();
  }, 100);
  store.subscribe(draw);
  draw(store.getState());
  setInterval(() => store.getState().record(document.hidden ? 0 : 1), 30_000);
}

if (typeof document !== "undefined") {
  document.addEventListener("DOMContentLoaded", mount);
}

export { clientId, startedAt, store };

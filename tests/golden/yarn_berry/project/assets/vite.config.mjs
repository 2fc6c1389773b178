import { defineConfig } from "vite";

export default defineConfig({
  build: { outDir: "../priv/static/assets", emptyOutDir: true, rollupOptions: { input: "./js/app.js" } },
});

// Bundles js/app.js with the hooks `mix compile` generates into js/_hooks (from the components'
// colocated hook files): the build reads what Mix wrote.
const esbuild = require("esbuild");

esbuild.build({
  entryPoints: ["js/app.js"],
  bundle: true,
  minify: process.argv.includes("--deploy"),
  outdir: "../priv/static/assets",
});

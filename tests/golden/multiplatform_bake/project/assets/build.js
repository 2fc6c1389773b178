// Production and watch builds with esbuild + sass, run by the package manager
// (`mix assets.deploy` calls `run deploy`).
const esbuild = require("esbuild")
const {sassPlugin} = require("esbuild-sass-plugin")

const args = process.argv.slice(2)
const watch = args.includes("--watch")
const deploy = process.env.NODE_ENV === "production"

const opts = {
  entryPoints: ["js/app.js"],
  bundle: true,
  target: "es2017",
  outdir: "../priv/static/assets",
  logLevel: "info",
  minify: deploy,
  sourcemap: deploy ? undefined : "inline",
  external: ["/fonts/*", "/images/*"],
  plugins: [sassPlugin()]
}

if (watch) {
  esbuild.context(opts).then(ctx => ctx.watch())
} else {
  esbuild.build(opts).catch(() => process.exit(1))
}

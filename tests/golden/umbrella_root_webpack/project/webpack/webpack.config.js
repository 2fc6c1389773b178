const path = require("path");
const common = require("./common");

module.exports = [
  common({
    entry: { app: "./apps/bazaar_web/assets/js/app.js" },
    output: path.resolve(__dirname, "../apps/bazaar_web/priv/static/js"),
  }),
  common({
    entry: { admin: "./apps/bazaar_admin/assets/js/admin.js" },
    output: path.resolve(__dirname, "../apps/bazaar_admin/priv/static/js"),
  }),
];

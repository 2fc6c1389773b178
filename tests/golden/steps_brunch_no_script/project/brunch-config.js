exports.config = {
  files: {
    javascripts: { joinTo: "js/app.js" },
    stylesheets: { joinTo: "css/app.css" },
    templates: { joinTo: "js/app.js" }
  },
  conventions: {
    assets: /^(web\/static\/assets)/
  },
  paths: {
    watched: ["web/static", "test/static"],
    public: "priv/static"
  },
  plugins: {
    babel: { ignore: [/web\/static\/vendor/] }
  },
  modules: {
    autoRequire: { "js/app.js": ["web/static/js/app"] }
  },
  npm: { enabled: true }
};

const fs = require("fs");
fs.cpSync("node_modules/@fontsource/inter/files", "../priv/static/fonts", { recursive: true });

import fs from "node:fs";
fs.writeFileSync("../priv/static/assets/.built", "");

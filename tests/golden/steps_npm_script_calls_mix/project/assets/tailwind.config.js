module.exports = {
  content: ["./js/**/*.js", "../lib/ledger_web/**/*.*ex"],
  plugins: [require("@tailwindcss/forms")],
};

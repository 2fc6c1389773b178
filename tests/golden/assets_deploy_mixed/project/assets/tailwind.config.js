module.exports = {
  content: ["./js/**/*.js", "../lib/harbor_web.ex", "../lib/harbor_web/**/*.*ex"],
  plugins: [require("@tailwindcss/forms")],
};

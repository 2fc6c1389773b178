module.exports = {
  content: ["./js/**/*.js", "../lib/orbit_web.ex", "../lib/orbit_web/**/*.*ex"],
  theme: {extend: {}},
  plugins: [require("@tailwindcss/forms")]
}

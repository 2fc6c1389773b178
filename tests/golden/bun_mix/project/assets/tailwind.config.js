module.exports = {
  content: ["./js/**/*.js", "../lib/ember_bun_web.ex", "../lib/ember_bun_web/**/*.*ex"],
};

module.exports = {
  content: ["./js/**/*.js", "../lib/comet_web/**/*.{ex,heex}"],
};

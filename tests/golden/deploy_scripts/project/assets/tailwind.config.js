module.exports = {
  content: ["./js/**/*.js", "../lib/**/*.heex", "../lib/**/*.ex"],
};

const MiniCssExtractPlugin = require("mini-css-extract-plugin");

module.exports = ({ entry, output }) => ({
  entry,
  output: { path: output, filename: "[name].js" },
  module: { rules: [{ test: /\.scss$/, use: [MiniCssExtractPlugin.loader, "css-loader", "sass-loader"] }] },
  plugins: [new MiniCssExtractPlugin({ filename: "../css/[name].css" })],
});

/**
 * Vendored progress bar (stub for a test fixture; the real file is the
 * MIT-licensed topbar 2.0 that `mix phx.new` copies here).
 */
(function (window, document) {
  "use strict";
  var topbar = {
    config: function (opts) {},
    show: function (delay) {},
    hide: function () {},
  };
  if (typeof module === "object" && typeof module.exports === "object") {
    module.exports = topbar;
  } else if (typeof define === "function" && define.amd) {
    define(function () { return topbar; });
  } else {
    this.topbar = topbar;
  }
}.call(this, window, document));

/* Live character counts for variant and post editors. An aid only: the server's count on
   submit is the truth (it runs each platform's full rules). The page says how to count and the
   limit, from the platforms' declarations, in data attributes (on the textarea, or on the
   chosen option of the platform select named by data-platform-from): data-count is
   "weighted" (URLs 23, emoji and most non-Latin characters 2), "short-links" (graphemes with
   URLs as 23), "utf16" (UTF-16 units) or "graphemes"; data-limit is empty when there is none. */
(function () {
  "use strict";
  var URL_RE = /https?:\/\/[^\s]+/g;
  var PICTO = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u;
  var seg = window.Intl && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

  function graphemes(text) {
    if (seg) { return Array.from(seg.segment(text), function (s) { return s.segment; }); }
    return Array.from(text);
  }
  function xWeight(cluster) {
    if (PICTO.test(cluster)) { return 2; }
    var w = 0;
    for (var ch of cluster) {
      var c = ch.codePointAt(0);
      var light = c <= 4351 || (c >= 8192 && c <= 8205) || (c >= 8208 && c <= 8223) || (c >= 8242 && c <= 8247);
      w += light ? 1 : 2;
    }
    return w;
  }
  function count(style, text) {
    text = text.normalize("NFC");
    if (style === "weighted") {
      var urls = (text.match(URL_RE) || []).length;
      var rest = text.replace(URL_RE, "");
      return graphemes(rest).reduce(function (n, g) { return n + xWeight(g); }, 0) + 23 * urls;
    }
    if (style === "utf16") return text.length;  /* Telegram counts UTF-16 units, as JS does */
    if (style === "short-links") {
      return graphemes(text.replace(URL_RE, "x".repeat(23))).length;
    }
    return graphemes(text).length;
  }
  function bind(area) {
    var out = area.parentNode.querySelector(".counter");
    if (!out) { return; }
    var from = area.dataset.platformFrom && document.getElementById(area.dataset.platformFrom);
    function update() {
      var rules = from ? from.options[from.selectedIndex].dataset : area.dataset;
      var limit = Number(rules.limit) || 0;
      var n = count(rules.count, area.value);
      out.textContent = limit ? n + "/" + limit : String(n);
      out.classList.toggle("over", Boolean(limit && n > limit));
    }
    area.addEventListener("input", update);
    if (from) { from.addEventListener("change", update); }
    update();
  }
  document.querySelectorAll("textarea[data-count], textarea[data-platform-from]").forEach(bind);
})();

/* The organisation picker's suggestions as you type: fills each picker's <datalist> from
   /organisations/pick.json. Without this script the form still works (search, then choose). */
(function () {
  "use strict";
  if (window.juntosPicker) return;
  window.juntosPicker = true;

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      var wanted = input.value.trim();
      clearTimeout(timer);
      if (wanted.length < 2 || wanted === asked) return;
      timer = setTimeout(function () {
        asked = wanted;
        fetch(input.dataset.picker + "?q=" + encodeURIComponent(wanted),
              { credentials: "same-origin", headers: { accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { choices: [] }; })
          .then(function (data) {
            if (input.value.trim() !== wanted) return;
            while (list.firstChild) list.removeChild(list.firstChild);
            data.choices.forEach(function (c) {
              var option = document.createElement("option");
              option.value = c.label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* offline: the form still works without suggestions */ });
      }, 200);
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-picker]"), attach);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

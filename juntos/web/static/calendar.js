// Copy buttons for feed addresses: the address is already selectable without JavaScript.
document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    var field = document.getElementById(button.dataset.copy);
    field.select();
    if (navigator.clipboard) { navigator.clipboard.writeText(field.value); }
    else { document.execCommand("copy"); }
  });
});

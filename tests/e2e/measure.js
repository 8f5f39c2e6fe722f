// What scrolls the page sideways, and which primary controls are too small to tap.
// Run by tests/e2e/test_layout.py and `make screenshots` in each page.
() => {
  const width = window.innerWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (typeof el.className === "string" && el.className.trim()
      ? "." + el.className.trim().split(/\s+/).join(".") : "");
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") return true;
    }
    return false;
  };
  const wide = [];
  if (document.scrollingElement.scrollWidth > width) {
    for (const el of document.querySelectorAll("body *")) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 1 && !clipped(el)) {
        wide.push(name(el) + " " + Math.round(r.right));
      }
    }
  }
  // Primary controls: the header's links and buttons, the in-page menu, the main buttons.
  const targets = "header.site a, header.site button, header.site select, .page-menu a,"
    + " main button, main .button, main input[type=submit]";
  const small = [];
  for (const el of document.querySelectorAll(targets)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;  // hidden (a closed <details>)
    if (r.height < 43.5 || r.width < 43.5) {
      small.push((el.textContent || el.value || name(el)).trim().slice(0, 30)
        + " " + Math.round(r.width) + "x" + Math.round(r.height));
    }
  }
  return {scrollWidth: document.scrollingElement.scrollWidth, width, wide: wide.slice(0, 12),
          small};
}

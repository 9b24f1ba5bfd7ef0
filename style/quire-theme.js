// Applies the reader's colour theme before the first paint. A classic, blocking script in
// <head>, loaded from a file (the CSP allows no inline script) ahead of the stylesheet, so it
// runs before the browser renders anything: no frame in the wrong theme.
//
// <html data-theme="system|light|dark">: "light" or "dark" as chosen with the header's toggle
// (src/components/layout.rs, which stores it under the same key), else "system", where the
// CSS follows prefers-color-scheme. Without JavaScript the attribute is missing: the CSS
// follows the system and hides the toggle, which could not work.
(function () {
  var theme = "system";
  try {
    var stored = localStorage.getItem("quire-theme");
    if (stored === "light" || stored === "dark") theme = stored;
  } catch (e) {
    // Storage disabled by the reader's settings: the system theme.
  }
  document.documentElement.setAttribute("data-theme", theme);
})();

/* Reader preferences and small enhancements. Loaded in <head> so the saved text size and
   theme apply before the first paint; everything else waits for the document. The site works
   without this file: controls that need it stay hidden. */
(function () {
  "use strict";
  var root = document.documentElement;
  var FONT_KEY = "digest:font-step";
  var THEME_KEY = "digest:theme";
  var COOKIE_KEY = "digest:cookies-accepted";
  var MIN_STEP = -2;
  var MAX_STEP = 4;

  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: not kept */ }
  }

  function fontStep() {
    var step = parseInt(load(FONT_KEY) || "0", 10);
    return isNaN(step) ? 0 : Math.max(MIN_STEP, Math.min(MAX_STEP, step));
  }
  function applyFont(step) {
    if (step === 0) { root.removeAttribute("data-font-step"); } else { root.setAttribute("data-font-step", String(step)); }
  }
  function systemTheme() {
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  function currentTheme() {
    var saved = load(THEME_KEY);
    return saved === "dark" || saved === "light" ? saved : systemTheme();
  }
  function applyTheme() {
    var saved = load(THEME_KEY);
    if (saved === "dark" || saved === "light") { root.setAttribute("data-theme", saved); } else { root.removeAttribute("data-theme"); }
  }

  applyFont(fontStep());
  applyTheme();

  function ready() {
    var fontControls = document.querySelector("[data-font-controls]");
    if (fontControls) {
      fontControls.hidden = false;
      fontControls.addEventListener("click", function (event) {
        var button = event.target.closest("[data-font-step]");
        if (!button) { return; }
        var step = Math.max(MIN_STEP, Math.min(MAX_STEP, fontStep() + parseInt(button.getAttribute("data-font-step"), 10)));
        save(FONT_KEY, String(step));
        applyFont(step);
      });
    }

    var themeToggle = document.querySelector("[data-theme-toggle]");
    if (themeToggle) {
      var show = function () { themeToggle.setAttribute("aria-pressed", currentTheme() === "dark" ? "true" : "false"); };
      themeToggle.hidden = false;
      show();
      themeToggle.addEventListener("click", function () {
        save(THEME_KEY, currentTheme() === "dark" ? "light" : "dark");
        applyTheme();
        show();
      });
    }

    Array.prototype.forEach.call(document.querySelectorAll(".submenu-toggle"), function (toggle) {
      var item = toggle.parentElement;
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        item.classList.toggle("is-open", open);
      });
      item.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && item.classList.contains("is-open")) {
          toggle.setAttribute("aria-expanded", "false");
          item.classList.remove("is-open");
          toggle.focus();
        }
      });
    });

    // The small screens' menu (a <details>): Escape closes it and gives the focus back.
    var drawer = document.querySelector("[data-menu-drawer]");
    if (drawer) {
      drawer.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && drawer.open) {
          drawer.open = false;
          drawer.querySelector("summary").focus();
        }
      });
    }

    // Most read: the article counts itself once, when a reader sees it (not while the page is
    // prerendered or in a background tab). A same-origin POST, no cookie of its own.
    var beacon = document.querySelector("[data-read-beacon]");
    if (beacon && navigator.sendBeacon) {
      var counted = false;
      var count = function () {
        if (counted || document.visibilityState !== "visible" || document.prerendering) { return; }
        counted = true;
        navigator.sendBeacon(beacon.getAttribute("data-read-beacon"));
      };
      count();
      document.addEventListener("visibilitychange", count);
      document.addEventListener("prerenderingchange", count);
    }

    // "Copy link": the page's address to the clipboard (without script, a link to the page).
    var copy = document.querySelector("[data-copy-link]");
    if (copy && navigator.clipboard && window.isSecureContext) {
      copy.addEventListener("click", function (event) {
        event.preventDefault();
        var status = document.querySelector("[data-copy-status]");
        navigator.clipboard.writeText(copy.href).then(function () {
          status.textContent = "Link copied.";
        }, function () {
          status.textContent = "Could not copy: select the address bar instead.";
        });
      });
    }

    var notice = document.querySelector("[data-cookie-notice]");
    if (notice && load(COOKIE_KEY) !== "yes") {
      notice.hidden = false;
      notice.querySelector("[data-cookie-accept]").addEventListener("click", function () {
        save(COOKIE_KEY, "yes");
        notice.hidden = true;
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();

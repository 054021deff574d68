// Keeps what a staff member types in a long text field in this browser until the server has it,
// so an expired session or a lost connection never costs the text (RELIABILITY C4).
//
// A textarea with data-keep-draft is copied to localStorage on every keystroke, under the user,
// the page and the field. When the page is opened again (after logging in anew) and the field
// does not hold that text, the text is put back and a notice says so. The server marks a
// successful save with an element data-draft-saved="<page path>"; the drafts of that page are
// then removed. Logging out removes all drafts: a school computer is often shared.
(function () {
  "use strict";
  var PREFIX = "schouder-draft:";
  var body = document.body;
  var user = body.dataset.user;

  function pagePrefix(path) {
    return PREFIX + user + ":" + path + ":";
  }

  function keyOf(field) {
    return pagePrefix(location.pathname) + field.name;
  }

  function removeDrafts(prefix) {
    for (var i = localStorage.length - 1; i >= 0; i--) {
      var key = localStorage.key(i);
      if (key && key.indexOf(prefix) === 0) localStorage.removeItem(key);
    }
  }

  function notice(field, text) {
    var note = document.createElement("p");
    note.className = "alert alert-warning small mt-1";
    note.setAttribute("role", "status");
    note.dataset.draftRestored = "";
    note.textContent = text;
    field.insertAdjacentElement("afterend", note);
  }

  function keepDrafts(root) {
    root.querySelectorAll("[data-draft-saved]").forEach(function (marker) {
      removeDrafts(pagePrefix(marker.dataset.draftSaved));
    });
    root.querySelectorAll("textarea[data-keep-draft]").forEach(function (field) {
      var kept = localStorage.getItem(keyOf(field));
      if (kept !== null && kept.trim() && kept !== field.value) {
        field.value = kept;
        notice(field, body.dataset.draftRestoredText);
        // Forms that save as you type (htmx) take the restored text up at once.
        field.dispatchEvent(new Event("input", { bubbles: true }));
      }
      field.addEventListener("input", function () {
        localStorage.setItem(keyOf(field), field.value);
      });
    });
  }

  if (user) {
    keepDrafts(document);
    document.addEventListener("htmx:load", function (event) {
      if (event.detail.elt !== document.body) keepDrafts(event.detail.elt);
    });
    // A save that ends on the login page means the session expired: show that instead of
    // putting the login page inside the form. The text stays in this browser.
    document.addEventListener("htmx:beforeSwap", function (event) {
      var url = event.detail.xhr.responseURL || "";
      if (url.indexOf(body.dataset.loginPath) !== -1) {
        event.detail.shouldSwap = false;
        var main = document.getElementById("main");
        if (!main.querySelector("[data-session-expired]")) {
          var alert = document.createElement("div");
          alert.className = "alert alert-danger";
          alert.setAttribute("role", "alert");
          alert.dataset.sessionExpired = "";
          alert.textContent = body.dataset.sessionExpiredText;
          main.insertAdjacentElement("afterbegin", alert);
        }
      }
    });
    document.querySelectorAll("form[data-logout]").forEach(function (form) {
      form.addEventListener("submit", function () {
        removeDrafts(PREFIX);
      });
    });
  }
})();

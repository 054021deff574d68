// A form marked data-once is sent once: its buttons are disabled while it is on its way, so a
// double click makes one request. (htmx forms use hx-disabled-elt; the server recognises a
// repeat anyway, see schools/once.py.)
document.addEventListener("submit", function (event) {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-once") || form.hasAttribute("hx-post")) {
    return;
  }
  if (form.dataset.sending) {
    event.preventDefault();
    return;
  }
  form.dataset.sending = "1";
  // After the submit has started: a disabled button would not be sent along.
  window.setTimeout(function () {
    form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (button) {
      button.disabled = true;
    });
  }, 0);
});
// Back from the browser's cache (the back button): the form may be sent again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    delete form.dataset.sending;
    form.querySelectorAll("button").forEach(function (button) {
      button.disabled = false;
    });
  });
});

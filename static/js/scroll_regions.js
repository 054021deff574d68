// A table wider than the phone scrolls inside itself (see schouder.css). A region that scrolls
// must be reachable by keyboard: when it really overflows it gets a tab stop and a name.
(function () {
  function mark() {
    document.querySelectorAll("main table, main .table-responsive").forEach(function (region) {
      const scrolls = region.scrollWidth > region.clientWidth + 1;
      region.classList.toggle("scrolls", scrolls);
      if (scrolls && !region.hasAttribute("tabindex")) {
        region.setAttribute("tabindex", "0");
        region.setAttribute("role", "region");
        const caption = region.querySelector("caption");
        region.setAttribute(
          "aria-label",
          (caption && caption.textContent.trim()) || document.body.dataset.scrollRegionText || "Tabel"
        );
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
  document.addEventListener("htmx:afterSwap", mark);
})();

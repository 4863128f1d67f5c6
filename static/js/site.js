// Behaviour every page shares. Without JavaScript the pages work as they are; this only helps.
(function () {
  "use strict";

  // Printing a page for a meeting: everything folded away on screen (the "why" of each status, the
  // tables behind the charts, the focus areas) goes on paper too, and is folded again afterwards.
  // Browsers do not print the content of a closed <details>, whatever the print stylesheet says.
  let opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.from(document.querySelectorAll("details:not([open])"));
    opened.forEach(function (details) {
      details.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) {
      details.open = false;
    });
    opened = [];
  });

  // The menu folds behind a button on a narrow screen (the CSS decides when: .menu-toggle is only shown
  // there). The button says whether the menu is open; Escape closes it and gives the button focus back.
  const toggle = document.querySelector(".menu-toggle");
  const menu = document.getElementById("site-menu");
  if (toggle && menu) {
    toggle.hidden = false;
    const setOpen = function (open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("open", open);
    };
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  // An action that is hard to undo (rolling an upload back, discarding it) asks first.
  document.addEventListener("submit", function (event) {
    const question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // Logging out forgets what this site kept in the browser (report drafts, static/js/report.js), so the
  // next person on a shared computer does not find them. The server's Clear-Site-Data header does the
  // same in browsers that support it.
  document.addEventListener("submit", function (event) {
    if (!event.target.hasAttribute("data-logout") || event.defaultPrevented) return;
    try {
      Object.keys(localStorage)
        .filter(function (key) {
          return key.startsWith("report-");
        })
        .forEach(function (key) {
          localStorage.removeItem(key);
        });
    } catch (e) {
      /* storage disabled: nothing kept */
    }
  });

  // Wide tables on a narrow screen scroll inside their own box, not the whole page sideways (WCAG
  // 1.4.10). A box that does scroll can be reached and scrolled with the keyboard, named by its caption.
  const boxes = Array.from(document.querySelectorAll("table")).map(function (table) {
    if (table.parentElement.classList.contains("table-scroll")) return table.parentElement;
    const box = document.createElement("div");
    box.className = "table-scroll";
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
    return box;
  });
  function markScrolling() {
    boxes.forEach(function (box) {
      const scrolls = box.scrollWidth > box.clientWidth + 1;
      const caption = box.querySelector("caption");
      if (scrolls) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        if (caption) {
          if (!caption.id) caption.id = "table-caption-" + boxes.indexOf(box);
          box.setAttribute("aria-labelledby", caption.id);
        } else {
          box.setAttribute("aria-label", document.title);
        }
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-labelledby");
        box.removeAttribute("aria-label");
      }
    });
  }
  markScrolling();
  window.addEventListener("resize", markScrolling);
  document.addEventListener("toggle", markScrolling, true); // a table unfolded in a <details>
})();

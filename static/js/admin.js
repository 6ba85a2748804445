// The administration site's wide tables scroll inside their own box on a narrow screen, a
// box the keyboard can reach (WCAG 2.2 1.4.10 Reflow, 2.1.1 Keyboard). Our own code, loaded
// as a file (no inline scripts: CSP).
for (const table of document.querySelectorAll("#content table")) {
  if (table.closest(".app-admin-scroll")) continue;
  const box = document.createElement("div");
  box.className = "app-admin-scroll";
  box.tabIndex = 0;
  box.setAttribute("role", "region");
  const caption = table.querySelector("caption");
  box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
  table.parentNode.insertBefore(box, table);
  box.appendChild(table);
}

// Small behaviours kept out of the HTML so the Content-Security-Policy can forbid inline script.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// Keyboard shortcuts: "/" search, "g" then a/t/p/d to go somewhere, "n" new, "?" the list.
// Never while the user types in a field.
const GO_TO = { a: "accounts", t: "today", p: "planner", d: "pipeline" };
let pendingGo = 0;

function isTyping(target) {
  return target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']");
}

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "Escape" && event.target.id === "global-search") {
    event.target.value = "";
    document.getElementById("global-search-results").replaceChildren();
    event.target.blur();
    return;
  }
  if (isTyping(event.target)) return;
  const shortcuts = document.getElementById("shortcuts");
  if (pendingGo && Date.now() - pendingGo < 1500 && GO_TO[event.key]) {
    pendingGo = 0;
    const link = document.querySelector(`[data-go="${GO_TO[event.key]}"]`);
    if (link) window.location.assign(link.href);
    event.preventDefault();
    return;
  }
  pendingGo = 0;
  if (event.key === "/") {
    const box = document.getElementById("global-search");
    if (box) {
      event.preventDefault();
      box.focus();
    }
  } else if (event.key === "g") {
    pendingGo = Date.now();
  } else if (event.key === "n") {
    const create = document.querySelector("[data-shortcut='new']");
    if (create) window.location.assign(create.href);
  } else if (event.key === "?" && shortcuts) {
    if (shortcuts.open) shortcuts.close();
    else shortcuts.showModal();
  }
});

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-close-dialog]")) {
    event.target.closest("dialog").close();
  }
});

// The navigation's menus: one open at a time, closed by a click elsewhere or Escape.
document.addEventListener("toggle", (event) => {
  const group = event.target;
  if (!group.matches?.("[data-nav-group]") || !group.open) return;
  document.querySelectorAll("[data-nav-group][open]").forEach((other) => {
    if (other !== group) other.open = false;
  });
}, true);

document.addEventListener("click", (event) => {
  if (!event.target.closest("[data-nav-group]")) {
    document.querySelectorAll("[data-nav-group][open]").forEach((group) => { group.open = false; });
  }
  const show = event.target.closest("[data-show-shortcuts]");
  if (show) {
    event.preventDefault();
    show.closest("[data-nav-group]").open = false;
    document.getElementById("shortcuts")?.showModal();
  }
});

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    document.querySelectorAll("[data-nav-group][open]").forEach((group) => { group.open = false; });
  }
});

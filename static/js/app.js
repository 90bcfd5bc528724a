// Django's JavaScript catalogue (/jsi18n/) defines gettext; without it, English.
const gettext = window.gettext || ((text) => text);
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

// Type-ahead pickers (core/pickers.py): a <select data-picker="/json/url/"> becomes a
// Tom Select box that asks the endpoint for the first matches of what is typed.
function pickerParams(select) {
  const params = new URLSearchParams(select.dataset.pickerParams || "");
  for (const name of (select.dataset.pickerDepends || "").split(" ").filter(Boolean)) {
    const field = select.form?.elements[name];
    if (field && field.value) params.set(name, field.value);
  }
  return params;
}

function pickerFetch(select, params, callback) {
  fetch(`${select.dataset.picker}?${params}`, { headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : { results: [] }))
    .then((data) => callback(data.results))
    .catch(() => callback());
}

function pickerInit(select) {
  if (select.tomselect || typeof TomSelect === "undefined") return;
  const picker = new TomSelect(select, {
    valueField: "value",
    labelField: "text",
    searchField: [],
    score: () => () => 1, // the endpoint has already matched; keep its order
    maxOptions: 20,
    preload: "focus",
    loadThrottle: 250,
    allowEmptyOption: false,
    placeholder: select.querySelector("option[value='']")?.text || "",
    plugins: { clear_button: { title: gettext("Clear") } },
    load(query, callback) {
      // Show this answer alone: earlier answers are for other words.
      this.clearOptions();
      this.loadedSearches = {};
      const params = pickerParams(select);
      params.set("q", query);
      pickerFetch(select, params, callback);
    },
    render: {
      option(item, escape) {
        const detail = item.detail ? `<small class="picker-detail">${escape(item.detail)}</small>` : "";
        return `<div>${escape(item.text)}${detail}</div>`;
      },
      no_results() {
        return `<div class="no-results">${select.dataset.pickerEmpty || gettext("Nothing matches")}</div>`;
      },
    },
  });
  // A filter's record id arrives without its name: ask for it.
  const chosen = Array.from(select.selectedOptions).filter((o) => o.value && o.text === `#${o.value}`);
  if (chosen.length) {
    const params = new URLSearchParams({ ids: chosen.map((o) => o.value).join(",") });
    pickerFetch(select, params, (results) => {
      for (const item of results || []) picker.updateOption(String(item.value), item);
    });
  }
  // A picker that depends on another field starts again when that field changes.
  for (const name of (select.dataset.pickerDepends || "").split(" ").filter(Boolean)) {
    select.form?.elements[name]?.addEventListener("change", () => {
      picker.clear();
      picker.clearOptions();
      picker.loadedSearches = {};
      picker.settings.preload && picker.load("");
    });
  }
}

function pickersInit(root) {
  root.querySelectorAll("select[data-picker]").forEach(pickerInit);
}

document.addEventListener("DOMContentLoaded", () => pickersInit(document));
document.addEventListener("htmx:afterSettle", (event) => pickersInit(event.target));

// The pipeline board: drag a card to another column to move the deal there (SortableJS); the
// buttons on each card do the same for keyboards and phones. Moving to "lost" asks why first.
// A card's move URL is the board's prefix and suffix around the card's id; its buttons belong
// to the board's one move form (#board-move), which works without this script too.
function boardRefresh() {
  htmx.ajax("GET", window.location.pathname, { target: "#board", swap: "outerHTML" });
}

function boardMove(card, stage, lostReason) {
  const values = { stage, from_stage: card.dataset.stage };
  if (lostReason !== undefined) values.lost_reason = lostReason;
  const board = document.getElementById("board");
  const url = board.dataset.movePrefix + card.dataset.pk + board.dataset.moveSuffix;
  htmx.ajax("POST", url, { source: card, target: "#board", swap: "outerHTML", values });
}

function boardAskLost(card) {
  const dialog = document.getElementById("lost-dialog");
  const form = dialog.querySelector("form");
  form.reset();
  dialog.querySelector("[data-lost-title]").textContent = card.querySelector(".deal-title").textContent;
  form.onsubmit = (event) => {
    event.preventDefault();
    dialog.close("moved");
    boardMove(card, "lost", form.elements.lost_reason.value);
  };
  dialog.onclose = () => { if (dialog.returnValue !== "moved") boardRefresh(); };
  dialog.returnValue = "";
  dialog.showModal();
}

function boardInit(root) {
  if (typeof Sortable === "undefined") return;
  root.querySelectorAll(".board-cards").forEach((column) => {
    if (column.sortable) return;
    column.sortable = Sortable.create(column, {
      group: "board",
      sort: false,
      draggable: ".deal-card",
      filter: "button, input, select, textarea",
      preventOnFilter: false,
      animation: 120,
      onEnd(event) {
        if (event.from === event.to) return;
        const stage = event.to.dataset.stage;
        if (stage === "lost") boardAskLost(event.item);
        else boardMove(event.item, stage);
      },
    });
  });
}

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-lost-cancel]")) event.target.closest("dialog").close();
  const move = event.target.closest(".deal-card button[form='board-move']");
  if (move && typeof htmx !== "undefined") {
    event.preventDefault();
    boardMove(move.closest(".deal-card"), move.value);
  }
});
document.addEventListener("DOMContentLoaded", () => boardInit(document));
document.addEventListener("htmx:afterSettle", () => boardInit(document));

// Early warning while typing past a limit. The server still refuses what is over it, with a
// message; this only says so before the form is sent. A text field carries its length as
// data-maxlength (core/forms.py's renderer), a decimal field its digits (core/numbers.py).
const ngettext = window.ngettext || ((one, many, n) => (n === 1 ? one : many));
const interpolate = window.interpolate || ((text, values) => values.reduce((t, v) => t.replace("%s", v), text));
// Typed fields only: a drop-down of currency codes has a length too, but nothing to type.
const LIMITED = "input[data-maxlength], textarea[data-maxlength], input[data-max-digits]";
const COUNTDOWN_FROM = 20; // a shorter limit (a 3-letter code) is only said when passed

function lengthWarning(field) {
  const limit = Number(field.dataset.maxlength);
  const text = field.value.trim(); // the server strips the ends before it measures
  // As the server counts: characters, not UTF-16 units; a line break arrives as two.
  const used = [...text].length + (field.tagName === "TEXTAREA" ? (text.match(/\n/g) || []).length : 0);
  const left = limit - used;
  if (left < 0) {
    const message = ngettext("Over the limit by %s character", "Over the limit by %s characters", -left);
    return { text: interpolate(message, [-left]), over: true };
  }
  if (limit >= COUNTDOWN_FROM && left <= Math.max(10, Math.floor(limit / 5))) {
    return { text: interpolate(ngettext("%s character left", "%s characters left", left), [left]), over: false };
  }
  return { text: "", over: false };
}

function largestNumber(digits, places) {
  const whole = "9".repeat(Math.max(digits - places, 0)) || "0";
  const format = { minimumFractionDigits: places, maximumFractionDigits: places };
  return new Intl.NumberFormat(document.documentElement.lang || "en", format).format(
    Number(places ? `${whole}.${"9".repeat(places)}` : whole),
  );
}

function numberWarning(field) {
  const digits = Number(field.dataset.maxDigits);
  const places = Number(field.dataset.decimalPlaces || 0);
  // Read as core/numbers.py reads it: a decimal comma in Polish, spaces between thousands.
  let text = field.value.replace(/[\s\u00a0\u202f']/g, "").replace(/^[+-]/, "");
  text = document.documentElement.lang.startsWith("pl") ? text.replace(",", ".") : text.replace(/,/g, "");
  const [whole, decimals = "", ...rest] = text.split(".");
  if (rest.length || !/^\d*$/.test(whole) || !/^\d*$/.test(decimals)) {
    return { text: "", over: false }; // not a number (yet): the server will say what is wrong
  }
  if (whole.replace(/^0+/, "").length > digits - places) {
    return { text: interpolate(gettext("Over the limit: at most %s"), [largestNumber(digits, places)]), over: true };
  }
  if (decimals.length > places) {
    const text = places
      ? interpolate(ngettext("At most %s digit after the decimal point", "At most %s digits after the decimal point", places), [places])
      : gettext("A whole number, without decimals");
    return { text, over: true };
  }
  return { text: "", over: false };
}

function limitCheck(field) {
  const warning = field.dataset.maxlength ? lengthWarning(field) : numberWarning(field);
  let note = field.limitNote;
  if (!note && !warning.text) return;
  if (!note) {
    note = document.createElement("small");
    note.className = "limit-note";
    note.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", note);
    field.limitNote = note;
  }
  note.textContent = warning.text;
  note.classList.toggle("over", warning.over);
}

document.addEventListener("input", (event) => {
  if (event.target.matches?.(LIMITED)) limitCheck(event.target);
});
// A form sent back by the server shows at once what is still over.
document.addEventListener("DOMContentLoaded", () => document.querySelectorAll(LIMITED).forEach(limitCheck));
document.addEventListener("htmx:afterSettle", (event) => event.target.querySelectorAll(LIMITED).forEach(limitCheck));

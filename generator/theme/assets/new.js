// "New since your last visit": cards of papers that joined the site (their `data-seen` day)
// after the newest day this browser had seen on its last visit get a mark. The first visit marks
// nothing; a visit (a browsing session) keeps one baseline, so every page of it marks the same
// papers. Kept in this browser only (localStorage, sessionStorage).
const SEEN = "paper-trail:seen"; // the newest paper day shown so far
const BASELINE = "paper-trail:seen-before"; // that day as this visit began ("" on a first visit)

function store(storage, key, value) {
  try {
    if (value === undefined) return storage.getItem(key);
    storage.setItem(key, value);
  } catch {
    return null; // storage is off: no marks
  }
  return value;
}

function baseline() {
  let before = store(sessionStorage, BASELINE);
  if (before === null) before = store(sessionStorage, BASELINE, store(localStorage, SEEN) ?? "");
  return before;
}

function mark(root, before) {
  let newest = store(localStorage, SEEN) ?? "";
  for (const card of root.querySelectorAll(".paper-card[data-seen]")) {
    const seen = card.dataset.seen;
    if (seen > newest) newest = seen;
    if (before && seen > before && !card.querySelector(".new-mark")) {
      const badge = Object.assign(document.createElement("span"), { className: "new-mark", textContent: "New" });
      badge.title = "New since your last visit";
      card.querySelector(".paper-card__title")?.before(badge);
    }
  }
  if (newest) store(localStorage, SEEN, newest);
}

const before = baseline();
if (before !== null) {
  mark(document, before);
  document.addEventListener("papers-shown", (event) => mark(event.target, before));
}

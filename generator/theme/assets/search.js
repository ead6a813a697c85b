// Pagefind search in Material's search dialog: type to search, "/", "s" or "f" to open,
// Escape to close, arrow keys to move through the results. Matched words are marked in the
// excerpts, and on the page a result opens (Pagefind's highlight script reads ?highlight=).
const HIGHLIGHT_PARAM = "highlight";
const SHOWN = 10;
// Searching on every key would queue a search per prefix ("q", "qu", ...) in Pagefind's worker;
// instead each key only preloads the index chunks its prefix needs, and the search runs once the
// reader pauses.
const PAUSE_MS = 100;

const root = document.querySelector("[data-pagefind-search]");
const toggle = document.getElementById("__search");
const input = root.querySelector(".md-search__input");
const meta = root.querySelector(".md-search-result__meta");
const list = root.querySelector(".md-search-result__list");
// The form only holds the search box: Enter must not reload the page.
input.form.addEventListener("submit", (event) => event.preventDefault());
const text = JSON.parse(document.getElementById("__search_text").textContent);
const bundle = new URL(root.dataset.pagefindBundle, location.href);
let pagefind = null;
let latest = 0;
let pending = 0;

async function engine() {
  if (pagefind === null) {
    pagefind = await import(new URL("pagefind.js", bundle).href);
    // Result URLs start from the site's root, which need not be the server's (site_url's path).
    const baseUrl = new URL("..", bundle).pathname;
    await pagefind.options({ baseUrl, highlightParam: HIGHLIGHT_PARAM });
    pagefind.init();
  }
  return pagefind;
}

function element(tag, className, html) {
  const node = document.createElement(tag);
  node.className = className;
  if (html !== undefined) node.innerHTML = html;
  return node;
}

function escapeHtml(value) {
  const node = document.createElement("span");
  node.textContent = value;
  return node.innerHTML;
}

function resultItem(data) {
  const item = element("li", "md-search-result__item");
  const link = element("a", "md-search-result__link");
  link.href = data.url;
  link.tabIndex = -1;
  const article = element("article", "md-search-result__article md-typeset");
  const title = data.meta.title || data.url;
  // Pagefind's excerpt is escaped page text with the matched words in <mark>.
  article.append(element("h1", "", escapeHtml(title)), element("p", "", data.excerpt));
  link.append(article);
  item.append(link);
  return item;
}

function count(total) {
  if (total === 0) return text.none;
  return total === 1 ? text.one : text.other.replace("#", total.toLocaleString());
}

async function search(query) {
  const ticket = ++latest;
  if (query.trim() === "") {
    meta.textContent = text.placeholder;
    list.replaceChildren();
    return;
  }
  const found = await (await engine()).search(query);
  if (ticket !== latest || found === null) return;
  const shown = await Promise.all(found.results.slice(0, SHOWN).map((result) => result.data()));
  if (ticket !== latest) return;
  meta.textContent = count(found.results.length);
  list.replaceChildren(...shown.map(resultItem));
  root.dataset.shownQuery = query; // says which query the list shows (the browser tests wait on it)
}

function open() {
  toggle.checked = true;
  input.focus();
  input.select();
  engine();
}

function move(step) {
  const links = [...list.querySelectorAll(".md-search-result__link")];
  const at = links.indexOf(document.activeElement);
  const next = at + step;
  if (next < 0) input.focus();
  else if (next < links.length) links[next].focus();
}

input.addEventListener("input", () => {
  const query = input.value;
  if (query.trim() !== "") engine().then((found) => found.preload(query));
  clearTimeout(pending);
  pending = setTimeout(() => search(query), PAUSE_MS);
});
input.addEventListener("focus", () => { toggle.checked = true; engine(); });
root.querySelector("button[type=reset]").addEventListener("click", () => {
  input.value = "";
  search("");
  input.focus();
});
toggle.addEventListener("change", () => { if (toggle.checked) open(); else input.blur(); });

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const typing = event.target instanceof HTMLElement &&
    (event.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName));
  if (toggle.checked && event.key === "Escape") {
    toggle.checked = false;
    input.blur();
  } else if (toggle.checked && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
    event.preventDefault();
    move(event.key === "ArrowDown" ? 1 : -1);
  } else if (toggle.checked && event.key === "Enter" && document.activeElement === input) {
    const first = list.querySelector(".md-search-result__link");
    if (first) location.href = first.href;
  } else if (!typing && ["/", "s", "f"].includes(event.key)) {
    event.preventDefault();
    open();
  }
});

if (new URLSearchParams(location.search).has(HIGHLIGHT_PARAM)) {
  import(new URL("pagefind-highlight.js", bundle).href).then(
    () => new window.PagefindHighlight({ highlightParam: HIGHLIGHT_PARAM, markContext: "article" }),
  );
}

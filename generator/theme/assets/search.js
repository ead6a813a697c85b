// Pagefind search in Material's search dialog: type to search, "/", "s" or "f" to open,
// Escape to close, arrow keys to move through the results, Tab to go round the open dialog.
// Matched words are marked in the excerpts, and on the page a result opens (Pagefind's highlight
// script reads ?highlight=): whole words only, and never for a stop word ("of", "the"), whose
// matches say nothing. Each result shows the paper's date and topics (Pagefind metadata of the
// paper pages).
const HIGHLIGHT_PARAM = "highlight";
const SHOWN = 10;
// Results show as soon as the first few have their fragments (one round of requests on a
// connection limited to six at a time); the rest of the ten follow.
const FIRST = 5;
// A search runs once the reader pauses this long; each key before that only preloads the index
// chunks its words need. Searches run one at a time, so a search for a prefix the reader has
// already typed past would hold up the one they want.
const PAUSE_MS = 150;
// Words shorter than this are not preloaded, and a query ending in one waits longer before it is
// searched: a prefix of one or two letters needs index chunks the finished word seldom does,
// and matches most pages.
const WORD_MIN = 3;
const SHORT_PAUSE_MS = 400;
const STOP_WORDS = "stop-words.json";
const PUNCTUATION = ".,:;!?()[]{}\"'“”‘’«»";

const root = document.querySelector("[data-pagefind-search]");
const toggle = document.getElementById("__search");
const input = root.querySelector(".md-search__input");
const meta = root.querySelector(".md-search-result__meta");
const list = root.querySelector(".md-search-result__list");
// The form only holds the search box: Enter must not reload the page.
input.form.addEventListener("submit", (event) => event.preventDefault());
const text = JSON.parse(document.getElementById("__search_text").textContent);
const bundle = new URL(root.dataset.pagefindBundle, location.href);
let loading = null;
let stopWords = new Set();
let pending = 0;
let wanted = ""; // the query in the search box
let running = null; // the query being searched, while a search runs
let shown = null; // the query whose results are on screen
let preloaded = "";
let renders = 0;

// Pagefind's index of the paper pages (generator/search_index.py), loaded the first time the
// search box opens.
function engine() {
  if (loading === null) {
    loading = (async () => {
      const pagefind = await import(new URL("pagefind.js", bundle).href);
      // Result URLs start from the site's root, which need not be the server's (site_url's path).
      // Pagefind runs here rather than in its web worker: the worker sends every result (with the
      // places of its words) back to the page, and for a word in most papers copying those tens
      // of thousands of results took longer than the search itself.
      await pagefind.options({
        baseUrl: new URL("..", bundle).pathname,
        highlightParam: HIGHLIGHT_PARAM,
        noWorker: true,
      });
      pagefind.init();
      // English stop words, written beside the index by generator/search_index.py.
      const words = await fetch(new URL(STOP_WORDS, bundle)).then((response) => response.json());
      stopWords = new Set(words);
      return pagefind;
    })();
    loading.catch(() => { loading = null; });
  }
  return loading;
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

// Pagefind's own rule for splitting a page's text into the words its locations count.
const WORD_SEPARATORS = /[^\S\uFEFF]+/;

// The excerpt as HTML in which the page's text is escaped and the matched words are in <mark>.
// Pagefind's own excerpt escapes "<" and ">" but not "&", so an abstract's "&lt;b&gt;" would show
// as "<b>": it is only used to find which words of the text it shows (escaped as Pagefind
// escapes them, they read the same), which are then escaped properly. Text split some other way
// (Pagefind splits text holding a zero-width space there) shows from its start, unmarked.
function excerptHtml(data) {
  const words = data.content.split(WORD_SEPARATORS);
  const shown = data.excerpt.replace(/<\/?mark>/g, "");
  const length = shown.split(WORD_SEPARATORS).length;
  const pagefindEscaped = (word) => word.replaceAll("<", "&lt;").replaceAll(">", "&gt;");
  let start = 0;
  while (
    start < words.length &&
    words.slice(start, start + length).map(pagefindEscaped).join(" ").trim() !== shown
  ) start += 1;
  if (start === words.length) return escapeHtml(words.slice(0, length).join(" "));
  const marked = new Set(data.locations);
  return words
    .slice(start, start + length)
    .map((word, at) => (marked.has(start + at) ? `<mark>${escapeHtml(word)}</mark>` : escapeHtml(word)))
    .join(" ");
}

// The words of a query worth marking: lower case, stop words left out.
function markedWords(query) {
  return query.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((word) => word && !stopWords.has(word));
}

// Pagefind's excerpt (escaped page text, matched words in <mark>) with only the marks of words
// that begin with a marked query word: a match found through a stop word ("of" in "often")
// goes back to plain text.
function excerpt(html, words) {
  const paragraph = element("p", "", html);
  for (const mark of paragraph.querySelectorAll("mark")) {
    const text = mark.textContent.toLowerCase();
    if (!words.some((word) => text.startsWith(word))) mark.replaceWith(...mark.childNodes);
  }
  return paragraph;
}

function resultItem(data, words) {
  const item = element("li", "md-search-result__item");
  const link = element("a", "md-search-result__link");
  const url = new URL(data.url, location.href);
  url.searchParams.delete(HIGHLIGHT_PARAM);
  for (const word of words) url.searchParams.append(HIGHLIGHT_PARAM, word);
  link.href = url.href;
  link.tabIndex = -1;
  const article = element("article", "md-search-result__article md-typeset");
  const title = data.meta.title || data.url;
  article.append(element("h1", "", escapeHtml(title)));
  const facts = [data.meta.date, data.meta.topics].filter(Boolean).join(" · ");
  if (facts) article.append(element("p", "search-result__facts", escapeHtml(facts)));
  article.append(excerpt(excerptHtml(data), words));
  link.append(article);
  item.append(link);
  return item;
}

function count(total) {
  if (total === 0) return text.none;
  return total === 1 ? text.one : text.other.replace("#", total.toLocaleString());
}

// Puts a query's results on screen; returns the number of this rendering of the list.
function show(query, total, items) {
  meta.textContent = total === null ? text.placeholder : count(total);
  list.replaceChildren(...items);
  shown = query;
  root.dataset.shownQuery = query; // says which query the list shows (the browser tests wait on it)
  return ++renders;
}

// Searches for the query in the box, one search at a time: when one ends and the reader has typed
// on meanwhile, the newest query is searched next; queries typed in between are never searched.
async function search() {
  while (running === null && wanted !== shown) {
    const query = wanted;
    running = query;
    try {
      if (query.trim() === "") {
        show(query, null, []);
      } else {
        const found = await (await engine()).search(query);
        // Only the top results' fragments are fetched, and only if the query is still wanted.
        if (query === wanted) {
          const data = found.results.slice(0, SHOWN).map((result) => result.data());
          const first = await Promise.all(data.slice(0, FIRST));
          if (query === wanted) {
            const words = markedWords(query);
            const item = (result) => resultItem(result, words);
            const render = show(query, found.results.length, first.map(item));
            Promise.all(data.slice(FIRST))
              .then((rest) => {
                if (render === renders) list.append(...rest.map(item));
              })
              .catch(() => {});
          }
        }
      }
    } catch (error) {
      // Pagefind failed to load or to search: the next key tries again.
      console.warn(error);
      break;
    } finally {
      running = null;
    }
  }
}

function open() {
  if (!toggle.checked) {
    // As a click on the header's search button does: Material's own script, which lays the
    // dialog out for a phone (and locks the page behind it), follows the toggle's change events.
    toggle.checked = true;
    toggle.dispatchEvent(new Event("change"));
  }
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
  wanted = input.value;
  const words = wanted.trim().split(/\s+/);
  const long = words.filter((word) => word.length >= WORD_MIN).join(" ");
  if (long !== "" && long !== preloaded) {
    preloaded = long;
    engine()
      .then((pagefind) => pagefind.preload(long))
      .catch(() => {});
  }
  const last = words.at(-1);
  clearTimeout(pending);
  pending = setTimeout(search, last !== "" && last.length < WORD_MIN ? SHORT_PAUSE_MS : PAUSE_MS);
});
input.addEventListener("focus", () => { toggle.checked = true; engine(); });
root.querySelector("button[type=reset]").addEventListener("click", () => {
  input.value = "";
  wanted = "";
  search();
  input.focus();
});
toggle.addEventListener("change", () => { if (toggle.checked) open(); else input.blur(); });

// While the dialog is open, Tab and Shift+Tab go round what it holds, never to the page behind.
function keepFocusInside(event) {
  const stops = [...root.querySelectorAll("input, button, a[href], [tabindex]")].filter(
    (node) => node.tabIndex >= 0 && !node.disabled && node.getClientRects().length > 0,
  );
  if (stops.length === 0) return;
  event.preventDefault();
  const at = stops.indexOf(document.activeElement);
  const step = event.shiftKey ? -1 : 1;
  const next = at === -1 ? (event.shiftKey ? stops.length - 1 : 0) : at + step;
  stops[(next + stops.length) % stops.length].focus();
}

document.addEventListener("keydown", (event) => {
  if (toggle.checked && event.key === "Tab") keepFocusInside(event);
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
    () =>
      new window.PagefindHighlight({
        highlightParam: HIGHLIGHT_PARAM,
        markContext: "article",
        // The whole word a term is in, never a part of one (a hyphenated word is one word).
        markOptions: { accuracy: { value: "complementary", limiters: [...PUNCTUATION] } },
      }),
  );
}

// Math in titles and abstracts ("A$^2$ATS", "H$_2$O") drawn by KaTeX, served by the site itself
// (assets/vendor/katex/, copied from the npm package by `make`). KaTeX is loaded only on a page
// whose papers have some math, and again wherever cards or search results are drawn later.
// The page text, the feeds and papers.json keep the source.
const VENDOR = new URL("vendor/katex/", import.meta.url);
const PLACES =
  ".paper-title, .abstract, .paper-card__title, .paper-card__snippet, .md-search-result__article, .saved-papers__list a";
// `$...$` with no space just inside either dollar and no digit just after the closing one:
// "$100K and $5" is money, not math.
const INLINE = /\$(?=\S)([^$\n]{1,200}?)(?<=\S)\$(?!\d)/g;

let katex = null;

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = Object.assign(document.createElement("script"), { src, onload: resolve, onerror: reject });
    document.head.append(script);
  });
}

function load() {
  if (katex === null) {
    const sheet = Object.assign(document.createElement("link"), {
      rel: "stylesheet",
      href: new URL("katex.min.css", VENDOR).href,
    });
    document.head.append(sheet);
    katex = loadScript(new URL("katex.min.js", VENDOR).href).then(() => window.katex);
  }
  return katex;
}

function textNodesWithMath(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => {
      INLINE.lastIndex = 0;
      return INLINE.test(node.data) && !node.parentElement.closest(".katex")
        ? NodeFilter.FILTER_ACCEPT
        : NodeFilter.FILTER_REJECT;
    },
  });
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  return nodes;
}

// One text node as text and math: a piece KaTeX cannot read stays as it was written.
function typeset(node, tex) {
  const parts = [];
  let last = 0;
  for (const match of node.data.matchAll(INLINE)) {
    parts.push(node.data.slice(last, match.index));
    const math = document.createElement("span");
    math.className = "math";
    try {
      tex.render(match[1], math, { throwOnError: true, output: "htmlAndMathml" });
      parts.push(math);
    } catch {
      parts.push(match[0]);
    }
    last = match.index + match[0].length;
  }
  parts.push(node.data.slice(last));
  node.replaceWith(...parts);
}

async function render(root) {
  const nodes = [...root.querySelectorAll(PLACES)].flatMap(textNodesWithMath);
  if (nodes.length === 0) return;
  const tex = await load();
  for (const node of nodes) if (node.isConnected) typeset(node, tex);
  document.documentElement.dataset.math = "done"; // the browser tests wait on it
}

const failed = (error) => console.warn(error);
render(document).catch(failed);
// Cards redrawn by the listing script, and search results as they arrive.
document.addEventListener("papers-shown", (event) => render(event.target).catch(failed));
const results = document.querySelector(".md-search-result__list");
if (results) {
  new MutationObserver(() => render(results).catch(failed)).observe(results, { childList: true });
}

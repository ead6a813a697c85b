// Saved papers, kept in this browser only (localStorage; no account, nothing is sent anywhere):
// a Save button on each paper page and card, and the Saved page (docs/saved.md), which lists
// them and exports (JSON, BibTeX) and imports them.
const KEY = "paper-trail:saved";
const PAPER = /\/papers\/([^/]+)\/$/; // a paper page's address ends "papers/<id>/"

function readSaved() {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) || "[]");
    return Array.isArray(saved) ? saved.filter((paper) => paper && typeof paper.id === "string") : [];
  } catch {
    return [];
  }
}

function writeSaved(saved) {
  localStorage.setItem(KEY, JSON.stringify(saved));
  document.dispatchEvent(new CustomEvent("saved-changed"));
}

function toggle(paper) {
  const saved = readSaved();
  const kept = saved.filter((other) => other.id !== paper.id);
  writeSaved(kept.length === saved.length ? [...saved, { ...paper, saved: new Date().toISOString() }] : kept);
}

// The text of a title as the dump wrote it: math drawn by KaTeX (assets/math.js) goes back to
// its "$...$" source.
function sourceText(node) {
  const copy = node.cloneNode(true);
  for (const math of copy.querySelectorAll(".math")) {
    const tex = math.querySelector("annotation")?.textContent;
    if (tex !== undefined) math.replaceWith(`$${tex}$`);
  }
  return copy.textContent.trim();
}

function paperAt(href, title, date = null) {
  const url = new URL(href, location.href);
  const id = decodeURIComponent(url.pathname.match(PAPER)?.[1] ?? "");
  return id ? { id, title: sourceText(title), date, url: url.href } : null;
}

function showState(button, saved) {
  const on = saved.has(button.dataset.id);
  button.setAttribute("aria-pressed", String(on));
  button.textContent = on ? "★ Saved" : "☆ Save";
  button.title = on ? "Remove from your saved papers" : "Save this paper in this browser";
}

function saveButton(paper, className) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = `save-toggle ${className}`;
  button.dataset.id = paper.id;
  button.addEventListener("click", () => toggle(paper));
  showState(button, new Set(readSaved().map((other) => other.id)));
  return button;
}

// Every Save button follows the list, whichever button or page (another tab too) changed it.
function showAll() {
  const saved = new Set(readSaved().map((paper) => paper.id));
  for (const button of document.querySelectorAll(".save-toggle[data-id]")) showState(button, saved);
}

function addCardButtons(root) {
  for (const card of root.querySelectorAll(".paper-card")) {
    if (card.querySelector(".save-toggle")) continue;
    const link = card.querySelector(".paper-card__title");
    const paper = link && paperAt(link.href, link);
    if (paper) card.prepend(saveButton(paper, "save-toggle--card"));
  }
}

function addPageButton() {
  const title = document.querySelector("h1.paper-title");
  const paper = title && paperAt(location.pathname, title, document.querySelector("meta[name=citation_publication_date]")?.content ?? null);
  if (paper) title.after(saveButton(paper, "save-toggle--page"));
}

// BibTeX for the saved papers: a @misc entry each, its key the paper's id; an arXiv id, where a
// paper has one, makes it an @article with its eprint.
function bibtex(saved) {
  const braces = (text) => String(text).replace(/[{}\\]/g, (c) => `\\${c}`);
  return saved
    .map((paper) => {
      const fields = [["title", `{${braces(paper.title)}}`]];
      const year = /^\d{4}/.exec(paper.date ?? "")?.[0];
      if (year) fields.push(["year", year]);
      if (paper.arxiv) fields.push(["eprint", paper.arxiv], ["archivePrefix", "arXiv"]);
      fields.push(["howpublished", `\\url{${paper.url}}`]);
      const body = fields.map(([name, value]) => `  ${name} = {${value}}`).join(",\n");
      return `@${paper.arxiv ? "article" : "misc"}{${paper.id},\n${body}\n}\n`;
    })
    .join("\n");
}

function download(name, type, text) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}

function importSaved(text) {
  const data = JSON.parse(text);
  const incoming = (Array.isArray(data) ? data : data.papers ?? []).filter(
    (paper) => paper && typeof paper.id === "string" && typeof paper.title === "string",
  );
  const saved = readSaved();
  const known = new Set(saved.map((paper) => paper.id));
  writeSaved([...saved, ...incoming.filter((paper) => !known.has(paper.id))]);
  return incoming.length;
}

function savedPage(root) {
  const list = root.querySelector(".saved-papers__list");
  const status = root.querySelector(".saved-papers__status");
  const show = () => {
    const saved = readSaved();
    status.textContent = saved.length === 1 ? "1 saved paper" : `${saved.length} saved papers`;
    list.replaceChildren(
      ...saved.map((paper) => {
        const item = document.createElement("li");
        const link = Object.assign(document.createElement("a"), { href: paper.url, textContent: paper.title });
        const remove = Object.assign(document.createElement("button"), {
          type: "button",
          className: "save-toggle",
          textContent: "Remove",
        });
        remove.setAttribute("aria-label", `Remove ${paper.title}`);
        remove.addEventListener("click", () => writeSaved(readSaved().filter((other) => other.id !== paper.id)));
        item.append(link, " ", remove);
        return item;
      }),
    );
    for (const button of root.querySelectorAll("[data-export]")) button.disabled = saved.length === 0;
    list.dispatchEvent(new CustomEvent("papers-shown", { bubbles: true }));
  };
  root.querySelector("[data-export=json]").addEventListener("click", () =>
    download("saved-papers.json", "application/json", JSON.stringify({ papers: readSaved() }, null, 2) + "\n"),
  );
  root.querySelector("[data-export=bibtex]").addEventListener("click", () =>
    download("saved-papers.bib", "application/x-bibtex", bibtex(readSaved())),
  );
  const file = root.querySelector("input[type=file]");
  file.addEventListener("change", async () => {
    try {
      const count = importSaved(await file.files[0].text());
      status.textContent += ` (${count} read from ${file.files[0].name})`;
    } catch (error) {
      status.textContent = `${file.files[0].name} is not a list of saved papers: ${error.message}`;
    }
    file.value = "";
  });
  document.addEventListener("saved-changed", show);
  addEventListener("storage", (event) => { if (event.key === KEY) show(); });
  root.hidden = false;
  show();
}

document.addEventListener("saved-changed", showAll);
addEventListener("storage", (event) => { if (event.key === KEY) showAll(); });
addPageButton();
addCardButtons(document);
document.addEventListener("papers-shown", (event) => addCardButtons(event.target));
const page = document.querySelector(".saved-papers");
if (page) savedPage(page);

// Sorting and filtering a topic's or a collection's papers, across every page of the list: the
// list's data (generator/list_data.py) is fetched the first time the reader reaches for the
// controls (or at once when the address already holds a choice), and the cards are drawn from
// it. The choice is kept in the address (?sort=votes&collection=...), so it can be shared.
// Without script, or with the default choice, the page shows the cards it was built with.
const list = document.querySelector(".paper-list[data-list]");
const SORTS = { newest: "Newest first", votes: "Most voted", title: "Title" };
// Filters a list offers: its page kind's (`data-filter`: "collections" or "topics"), and a
// yes/no filter for each field below, shown from the start (a list none of whose papers has
// the field shows "0 of N papers" with it).
const FLAGS = { code: "With code" };
const SHOWN = 100; // as many cards at a time as a page of the list holds

const byTitle = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
const ORDERS = {
  newest: (a, b) => a.order - b.order,
  votes: (a, b) => (b.votes ?? -1) - (a.votes ?? -1) || a.order - b.order,
  title: (a, b) => byTitle.compare(a.title, b.title) || a.order - b.order,
};

function element(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function labelled(text, control) {
  return element("label", { className: "list-tools__field" }, text + " ", control);
}

function card(paper, papersHref) {
  const node = element(
    "div",
    { className: "paper-card" },
    element("a", { className: "paper-card__title", href: `${papersHref}${paper.id}/` }, paper.title),
  );
  node.dataset.seen = paper.first_seen;
  if (paper.facts) node.append(element("p", { className: "paper-card__facts" }, paper.facts));
  node.append(element("p", { className: "paper-card__snippet" }, paper.snippet));
  return node;
}

function choiceFrom(params, filter) {
  const sort = params.get("sort");
  return {
    sort: sort in SORTS ? sort : "newest",
    group: params.get(filter.param) || "",
    flags: Object.keys(FLAGS).filter((flag) => params.get(flag) === "1"),
  };
}

function isDefault(choice) {
  return choice.sort === "newest" && choice.group === "" && choice.flags.length === 0;
}

function writeAddress(choice, filter) {
  const params = new URLSearchParams(location.search);
  params.delete("sort");
  params.delete(filter.param);
  for (const flag of Object.keys(FLAGS)) params.delete(flag);
  if (choice.sort !== "newest") params.set("sort", choice.sort);
  if (choice.group) params.set(filter.param, choice.group);
  for (const flag of choice.flags) params.set(flag, "1");
  const query = params.toString();
  history.replaceState(history.state, "", query ? `?${query}` : location.pathname + location.hash);
}

function setUp() {
  const kind = list.dataset.filter; // "collections" or "topics"
  const filter = {
    key: kind,
    param: kind === "collections" ? "collection" : "topic",
    label: kind === "collections" ? "Collection" : "Topic",
  };
  const original = [...list.children];
  const pager = document.querySelector(".pager");
  let data = null;
  let loading = null;
  let limit = SHOWN;

  const sort = element("select", { name: "sort" });
  for (const [value, text] of Object.entries(SORTS)) sort.append(new Option(text, value));
  const group = element("select", { name: filter.param }, new Option("All", ""));
  const flags = element("span", { className: "list-tools__flags" });
  const status = element("p", { className: "list-tools__status", role: "status" });
  const more = element("button", { type: "button", className: "md-button list-tools__more", hidden: true }, "Show more");
  const tools = element(
    "form",
    { className: "list-tools", ariaLabel: "Sort and filter the papers" },
    labelled("Sort", sort),
    labelled(filter.label, group),
    flags,
    status,
  );
  tools.setAttribute("role", "search");
  list.before(tools);
  list.after(more);

  let choice = choiceFrom(new URLSearchParams(location.search), filter);
  sort.value = choice.sort;
  for (const [flag, text] of Object.entries(FLAGS)) {
    const box = element("input", { type: "checkbox", name: flag, checked: choice.flags.includes(flag) });
    flags.append(element("label", { className: "list-tools__field" }, box, " " + text));
  }

  function load() {
    if (loading === null) {
      loading = fetch(list.dataset.list)
        .then((response) => {
          if (!response.ok) throw new Error(`${response.status} ${response.url}`);
          return response.json();
        })
        .then((loaded) => {
          data = loaded;
          fillControls();
        });
      loading.catch(() => { loading = null; });
    }
    return loading;
  }

  function fillControls() {
    for (const [slug, name] of Object.entries(data[filter.key])) group.append(new Option(name, slug));
    group.value = choice.group;
  }

  function readControls() {
    return {
      sort: sort.value,
      group: group.value,
      flags: [...flags.querySelectorAll("input:checked")].map((box) => box.name),
    };
  }

  function show() {
    tools.dataset.shown = JSON.stringify(choice); // which choice the cards show (for the tests)
    if (isDefault(choice)) {
      list.replaceChildren(...original);
      if (pager) pager.hidden = false;
      more.hidden = true;
      status.textContent = "";
    } else {
      const chosen = data.papers
        .filter((paper) => !choice.group || paper[filter.key].includes(choice.group))
        .filter((paper) => choice.flags.every((flag) => paper[flag]))
        .sort(ORDERS[choice.sort]);
      list.replaceChildren(...chosen.slice(0, limit).map((paper) => card(paper, list.dataset.papers)));
      if (pager) pager.hidden = true;
      more.hidden = chosen.length <= limit;
      const of = chosen.length === data.papers.length ? "" : ` of ${data.papers.length}`;
      status.textContent = `${chosen.length.toLocaleString()}${of} papers`;
    }
    list.dispatchEvent(new CustomEvent("papers-shown", { bubbles: true }));
  }

  async function apply(next) {
    choice = next;
    limit = SHOWN;
    writeAddress(choice, filter);
    if (!isDefault(choice)) await load();
    show();
  }

  for (const event of ["pointerenter", "focusin", "touchstart"]) {
    tools.addEventListener(event, () => load().catch(() => {}), { once: true, passive: true });
  }
  tools.addEventListener("change", () => apply(readControls()).catch((error) => console.warn(error)));
  tools.addEventListener("submit", (event) => event.preventDefault());
  more.addEventListener("click", () => { limit += SHOWN; show(); });
  if (!isDefault(choice)) apply(choice).catch((error) => console.warn(error));
  else tools.dataset.shown = JSON.stringify(choice);
}

if (list) setUp();

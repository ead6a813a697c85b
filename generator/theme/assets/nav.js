// The side navigation shows the first entry of the section the page is in (the topics), not
// only the page's own entry. Material scrolls the navigation to centre the page's entry, which
// slides a list that nearly fits under the navigation's sticky title, hiding its first entries.
// After that first scroll the section is brought to the top, as far as the page's entry stays
// in view; a reader's own scrolling is never undone.
const wrap = document.querySelector(".md-sidebar--primary .md-sidebar__scrollwrap");
const active = wrap?.querySelector(".md-nav__link--active[href]");
const READER = ["wheel", "touchstart", "pointerdown", "keydown"];

// Where `node` is in the navigation's scrolled content, in pixels from its top.
function place(node, edge) {
  return node.getBoundingClientRect()[edge] - wrap.getBoundingClientRect().top + wrap.scrollTop;
}

function sectionTop() {
  const title = wrap.querySelector(".md-nav--primary > .md-nav__title");
  const sticky = title && getComputedStyle(title).position === "sticky" ? title.offsetHeight : 0;
  return place(active.closest(".md-nav__list"), "top") - sticky;
}

function correct() {
  stop();
  if (active.clientHeight === 0) return; // the navigation is hidden (a phone's closed drawer)
  const lowest = place(active, "bottom") - wrap.clientHeight; // the page's entry at the bottom
  wrap.scrollTo({ top: Math.max(0, Math.min(sectionTop(), wrap.scrollTop), lowest) });
}

function stop() {
  wrap.removeEventListener("scroll", correct);
  for (const event of READER) removeEventListener(event, stop, true);
}

if (wrap && active) {
  wrap.addEventListener("scroll", correct);
  for (const event of READER) addEventListener(event, stop, true);
}

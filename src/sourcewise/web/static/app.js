// Sends the session's CSRF token with every htmx request, and draws the Plotly charts whose
// figure JSON a page embeds in <script type="application/json" data-chart="ID"> blocks (the
// Content-Security-Policy allows no inline scripts).
document.addEventListener("htmx:configRequest", (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) event.detail.headers["X-CSRF-Token"] = meta.content;
});

function drawCharts(root) {
  if (typeof Plotly === "undefined") return;
  root.querySelectorAll("script[data-chart]").forEach((block) => {
    const target = document.getElementById(block.dataset.chart);
    if (!target || target.dataset.drawn) return;
    const figure = JSON.parse(block.textContent);
    const config = Object.assign(
      { responsive: true, displaylogo: false, topojsonURL: "/static/vendor/" },
      figure.config || {}
    );
    Plotly.newPlot(target, figure.data, figure.layout || {}, config);
    target.dataset.drawn = "1";
  });
}

document.addEventListener("DOMContentLoaded", () => drawCharts(document));
document.addEventListener("htmx:afterSettle", (event) => drawCharts(event.target));

// The guided builder: after a step is swapped in, the focus goes to its title (keyboard and
// screen-reader users start at the top of the new step, not on a button that is gone).
document.addEventListener("htmx:load", (event) => {
  const form = event.target;
  if (!form || form.id !== "builder" || !form.hasAttribute("data-moved")) return;
  const title = form.querySelector(".bld-title[data-current]");
  if (title) title.focus();
});

// An estimate table opened or closed is remembered in the form (its hidden "open_sites" field),
// so that the live panel drawn again keeps it as the user left it.
document.addEventListener(
  "toggle",
  (event) => {
    const site = event.target;
    if (!(site instanceof HTMLDetailsElement) || !site.dataset.site) return;
    const kept = site.querySelector('input[name="open_sites"]');
    if (kept) kept.disabled = !site.open;
  },
  true
);

// Folded sections (<details class="fold">): a link to a section inside one, or an address
// ending in its #id, opens the fold and scrolls to it; a chart drawn while its fold was closed
// is resized to the width it has once opened.
function openFoldOf(id) {
  const target = id && document.getElementById(id);
  const fold = target && target.closest("details.fold");
  if (!fold) return;
  fold.open = true;
  target.scrollIntoView();
}

document.addEventListener("DOMContentLoaded", () => openFoldOf(location.hash.slice(1)));
window.addEventListener("hashchange", () => openFoldOf(location.hash.slice(1)));
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element && event.target.closest('a[href^="#"]');
  if (link) openFoldOf(link.getAttribute("href").slice(1));
});
document.addEventListener(
  "toggle",
  (event) => {
    const fold = event.target;
    if (!(fold instanceof HTMLDetailsElement) || !fold.open || typeof Plotly === "undefined") return;
    fold.querySelectorAll(".js-plotly-plot").forEach((plot) => Plotly.Plots.resize(plot));
  },
  true
);

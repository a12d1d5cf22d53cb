// Search on /zoeken/ with the Pagefind index made by the build (sitegen/search.py).
// Everything comes from our own site. Without JavaScript the page still works: the form says that
// searching needs JavaScript, and the list of all pages below it stays.
const form = document.querySelector("form.search-form");
const input = document.getElementById("zoekterm");
const statusLine = document.getElementById("zoek-status");
const list = document.getElementById("zoekresultaten");
const MAX_RESULTS = 20;

let pagefind = null;
let latest = 0;

function say(text) {
  statusLine.textContent = text;
}

// Pagefind's excerpt is HTML with <mark> around the words found. Keep only its text and those marks.
function excerpt(html) {
  const parsed = document.createElement("template");
  parsed.innerHTML = html;
  const out = document.createElement("p");
  for (const node of parsed.content.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.append(mark);
    } else {
      out.append(node.textContent);
    }
  }
  return out;
}

function show(term, results) {
  list.replaceChildren();
  for (const result of results) {
    const item = document.createElement("li");
    const heading = document.createElement("h2");
    const link = document.createElement("a");
    link.href = result.url;
    link.textContent = (result.meta && result.meta.title) || result.url;
    heading.append(link);
    item.append(heading, excerpt(result.excerpt || ""));
    list.append(item);
  }
  list.hidden = results.length === 0;
  if (results.length === 0) {
    say(`Niets gevonden voor “${term}”. Probeer een ander woord, of kijk in de lijst met alle pagina's.`);
  } else {
    say(`${results.length === 1 ? "1 pagina" : results.length + " pagina's"} gevonden voor “${term}”.`);
  }
}

async function load() {
  if (!pagefind) {
    pagefind = await import(form.dataset.index);
    await pagefind.options({ baseUrl: form.dataset.base, excerptLength: 24 });
  }
  return pagefind;
}

async function search(term, wait) {
  const turn = ++latest;
  term = term.trim();
  if (term.length < 2) {
    list.hidden = true;
    list.replaceChildren();
    say(term.length === 1 ? "Typ nog een letter." : "");
    return;
  }
  try {
    const engine = await load();
    const found = wait ? await engine.debouncedSearch(term, {}, 350) : await engine.search(term);
    if (found === null || turn !== latest) return; // a newer search is under way
    const results = await Promise.all(found.results.slice(0, MAX_RESULTS).map((r) => r.data()));
    if (turn === latest) show(term, results);
  } catch (error) {
    say("Zoeken lukt nu niet. Kijk in de lijst met alle pagina's hieronder.");
  }
}

if (form && input && statusLine && list) {
  document.getElementById("zoeken-zonder-js").hidden = true;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const url = new URL(window.location.href);
    url.searchParams.set("q", input.value.trim());
    history.replaceState(null, "", url);
    search(input.value, false);
  });
  input.addEventListener("input", () => search(input.value, true));
  const asked = new URLSearchParams(window.location.search).get("q");
  if (asked) {
    input.value = asked;
    search(asked, false);
  }
}

// Search on /zoeken/ with the index the build makes in zoekindex/ (sitegen/render/search_index.py explains its
// files, search-core.js the matching). Everything comes from our own site, and only the files a query
// needs are fetched, once a visit. Without JavaScript the page still works: the form says that searching
// needs JavaScript, and the list of all pages below it stays. Results are built with textContent only:
// no text from the site or the query is ever read as HTML.
import { MAX_RESULTS, isMarked, markWords, search } from "./search-core.js";

const form = document.querySelector("form.search-form");
const input = document.getElementById("zoekterm");
const statusLine = document.getElementById("zoek-status");
const list = document.getElementById("zoekresultaten");
const tips = document.getElementById("zoek-tips");
const WAIT_MS = 250; // after the last key press
const MAX_QUERY = 200; // characters of a query that count; the rest is ignored

const files = new Map(); // file name -> promise of its JSON
let latest = 0;
let timer = 0;

function say(text) {
  statusLine.textContent = text;
}

// A file of the index, fetched once; a file other than index.json carries the index version, so a
// browser never mixes files of two builds.
function load(name, version) {
  if (!files.has(name)) {
    const url = new URL(name, new URL(form.dataset.index, window.location.href));
    if (version) url.searchParams.set("v", version);
    const promise = fetch(url, version ? {} : { cache: "no-cache" }).then((response) => {
      if (!response.ok) throw new Error(`${response.status} ${url}`);
      return response.json();
    });
    promise.catch(() => files.delete(name)); // try again at the next search
    files.set(name, promise);
  }
  return files.get(name);
}

// The sentence of a result with the words found in <mark>: the one of its sentences with the most hits.
function excerpt(sentences, marked) {
  let best = null;
  let bestHits = -1;
  for (const sentence of sentences) {
    const parts = sentence.split(/([\p{L}\p{N}]+)/u);
    const hits = parts.filter((part, i) => i % 2 === 1 && isMarked(part, marked)).length;
    if (hits > bestHits) {
      best = parts;
      bestHits = hits;
    }
  }
  const out = document.createElement("p");
  out.className = "excerpt";
  best.forEach((part, i) => {
    if (i % 2 === 1 && isMarked(part, marked)) {
      const mark = document.createElement("mark");
      mark.textContent = part;
      out.append(mark);
    } else if (part) {
      out.append(part);
    }
  });
  return out;
}

// What a result is: its kind, and for an activity its next date, village and whether it goes on.
function details(kind, when, village, status) {
  const out = document.createElement("p");
  out.className = "result-meta kind"; // .kind: the muted colour of the A-to-Z list
  if (status) {
    const strong = document.createElement("strong");
    strong.className = "result-status";
    strong.textContent = status;
    out.append(strong, " ");
  }
  out.append([kind, when, village].filter(Boolean).join(" · "));
  return out;
}

function show(term, found) {
  const base = form.dataset.base.replace(/\/$/, "");
  const marked = markWords(found.queries);
  list.replaceChildren();
  for (const result of found.results) {
    const [url, title, kind = "", when = "", village = "", status = ""] = result.record;
    const item = document.createElement("li");
    const heading = document.createElement("h2");
    const link = document.createElement("a");
    link.href = base + url;
    link.textContent = title || url;
    heading.append(link);
    item.append(heading);
    if (kind || when || village || status) item.append(details(kind, when, village, status));
    const sentences = (result.sentences || []).filter(Boolean);
    if (sentences.length) item.append(excerpt(sentences, marked));
    list.append(item);
  }
  list.hidden = found.results.length === 0;
  tips.hidden = found.total > 0;
  if (found.total === 0) {
    say(`Niets gevonden voor “${term}”. Probeer een ander woord, of kijk hieronder.`);
    return;
  }
  const count = found.total === 1 ? "1 pagina" : `${found.total} pagina's`;
  const some = found.all ? "" : " met een deel van de woorden";
  const more = found.total > found.results.length ? ` Hieronder staan de ${MAX_RESULTS} beste.` : "";
  say(`${count} gevonden${some} voor “${term}”.${more}`);
}

async function run(term) {
  const turn = ++latest;
  try {
    const found = await search(term.slice(0, MAX_QUERY), load);
    if (turn === latest) show(term, found);
  } catch (error) {
    if (turn === latest) {
      list.hidden = true;
      tips.hidden = false;
      say("Zoeken lukt nu niet. Kijk in de lijst met alle pagina's hieronder.");
    }
  }
}

// Search now, or (while typing) WAIT_MS after the last key press.
function start(text, wait) {
  clearTimeout(timer);
  const term = text.trim();
  if (Array.from(term).length < 2) {
    latest++; // a search still under way must not show its results any more
    list.hidden = true;
    list.replaceChildren();
    tips.hidden = wait || !term;
    if (!term) say("");
    else if (wait) say("Typ nog een letter.");
    else say(`Niets gevonden voor “${term}”. Typ minstens twee letters, of kijk hieronder.`);
    return;
  }
  if (wait) {
    timer = setTimeout(() => run(term), WAIT_MS);
  } else {
    run(term);
  }
}

if (form && input && statusLine && list && tips) {
  document.getElementById("zoeken-zonder-js").hidden = true;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const url = new URL(window.location.href);
    url.searchParams.set("q", input.value.trim());
    history.replaceState(null, "", url);
    start(input.value, false);
  });
  input.addEventListener("input", () => start(input.value, true));
  const asked = new URLSearchParams(window.location.search).get("q");
  if (asked) {
    input.value = asked;
    start(asked, false);
  }
}

// Search on /zoeken/ with the index the build makes in zoekindex/ (sitegen/search.py explains its files).
// Everything comes from our own site, and only the files a search needs are fetched, once a visit.
// Without JavaScript the page still works: the form says that searching needs JavaScript, and the
// list of all pages below it stays. Results are built with textContent only: no text from the site
// is ever read as HTML.
import { bucket, stem, tokens } from "./search-stem.js";

const form = document.querySelector("form.search-form");
const input = document.getElementById("zoekterm");
const statusLine = document.getElementById("zoek-status");
const list = document.getElementById("zoekresultaten");
const MAX_RESULTS = 20;
const EXCERPT_WORDS = 25;
const BEFORE_FIRST_MATCH = 8; // words shown before the first word found
const WAIT_MS = 300; // after the last key press

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

// The order of the A-to-Z list (sort_key in sitegen/search.py): accents and case ignored.
function sortKey(title) {
  return title.normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase().replace(/^['" ]+/, "");
}

function byTitle(a, b) {
  const left = [sortKey(a.title), a.title, a.url];
  const right = [sortKey(b.title), b.title, b.url];
  for (let i = 0; i < left.length; i++) {
    if (left[i] !== right[i]) return left[i] < right[i] ? -1 : 1;
  }
  return 0;
}

// Every document that has all query stems (each as the start of a word), with its summed weight.
async function scores(stems, meta) {
  const known = new Set(meta.terms);
  const postings = await Promise.all(stems.map(bucket)
    .map((name) => (known.has(name) ? load(`w/${name}.json`, meta.version) : {})));
  let found = null;
  stems.forEach((query, i) => {
    const best = new Map(); // a query word that starts several words of a page counts its best one
    for (const [term, entries] of Object.entries(postings[i])) {
      if (!term.startsWith(query)) continue;
      for (const [id, weight] of entries) best.set(id, Math.max(best.get(id) || 0, weight));
    }
    if (found === null) {
      found = best;
    } else {
      const both = new Map();
      for (const [id, score] of found) if (best.has(id)) both.set(id, score + best.get(id));
      found = both;
    }
  });
  return found || new Map();
}

// The best MAX_RESULTS documents: highest score first, equal scores in A-to-Z order of title.
async function best(found, meta) {
  let ranked = [...found].sort((a, b) => b[1] - a[1]);
  if (ranked.length > MAX_RESULTS && ranked[MAX_RESULTS - 1][1] === ranked[MAX_RESULTS][1]) {
    // Equal scores straddle the cut: the titles of all of them decide, from the A-to-Z order.
    const order = await load("orde.json", meta.version);
    const place = new Map(order.map((id, i) => [id, i]));
    ranked.sort((a, b) => b[1] - a[1] || place.get(a[0]) - place.get(b[0]));
  }
  ranked = ranked.slice(0, MAX_RESULTS);
  const prefixes = [...new Set(ranked.map(([id]) => id.slice(0, meta.docs)))];
  const docs = Object.assign({}, ...(await Promise.all(prefixes.map((p) => load(`d/${p}.json`, meta.version)))));
  const results = ranked.map(([id, score]) => {
    const [url, title, kind, text] = docs[id];
    return { score, url, title, kind, text };
  });
  return results.sort((a, b) => b.score - a.score || byTitle(a, b));
}

// About EXCERPT_WORDS words of the text around the first word found, with the words found marked.
function excerpt(text, stems) {
  const words = text.split(/\s+/).filter(Boolean);
  const found = words.map((word) => tokens(word).some((t) => {
    const s = stem(t);
    return stems.some((query) => s.startsWith(query));
  }));
  const first = found.indexOf(true);
  const start = first < 0 ? 0 : Math.max(0, Math.min(first - BEFORE_FIRST_MATCH, words.length - EXCERPT_WORDS));
  const end = Math.min(words.length, start + EXCERPT_WORDS);
  const out = document.createElement("p");
  let plain = start > 0 ? "… " : "";
  for (let i = start; i < end; i++) {
    if (i > start) plain += " ";
    if (!found[i]) {
      plain += words[i];
      continue;
    }
    // Leave punctuation around a word outside its mark.
    const [, before, word, after] = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/su.exec(words[i]);
    out.append(plain + before);
    const mark = document.createElement("mark");
    mark.textContent = word;
    out.append(mark);
    plain = after;
  }
  if (end < words.length) plain += " …";
  out.append(plain);
  return out;
}

function show(term, results, total, stems) {
  const base = form.dataset.base.replace(/\/$/, "");
  list.replaceChildren();
  for (const result of results) {
    const item = document.createElement("li");
    const heading = document.createElement("h2");
    const link = document.createElement("a");
    link.href = base + result.url;
    link.textContent = result.title || result.url;
    heading.append(link);
    if (result.kind) {
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = `(${result.kind})`;
      heading.append(" ", kind);
    }
    item.append(heading);
    if (result.text) item.append(excerpt(result.text, stems));
    list.append(item);
  }
  list.hidden = results.length === 0;
  if (total === 0) {
    say(`Niets gevonden voor “${term}”. Probeer een ander woord, of kijk in de lijst met alle pagina's.`);
  } else {
    const more = total > results.length ? ` Hieronder staan de ${results.length} beste.` : "";
    say(`${total === 1 ? "1 pagina" : total + " pagina's"} gevonden voor “${term}”.${more}`);
  }
}

async function search(term) {
  const turn = ++latest;
  const stems = [...new Set(tokens(term).map(stem).filter((s) => Array.from(s).length > 1))];
  try {
    const meta = await load("index.json");
    const found = stems.length ? await scores(stems, meta) : new Map();
    const results = await best(found, meta);
    if (turn === latest) show(term, results, found.size, stems);
  } catch (error) {
    if (turn === latest) say("Zoeken lukt nu niet. Kijk in de lijst met alle pagina's hieronder.");
  }
}

// Search now, or (while typing) WAIT_MS after the last key press.
function start(text, wait) {
  clearTimeout(timer);
  const term = text.trim();
  if (term.length < 2) {
    latest++; // a search still under way must not show its results any more
    list.hidden = true;
    list.replaceChildren();
    say(term.length === 1 ? "Typ nog een letter." : "");
    return;
  }
  if (wait) {
    timer = setTimeout(() => search(term), WAIT_MS);
  } else {
    search(term);
  }
}

if (form && input && statusLine && list) {
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

// What search.js does with a query, without the page: fold the words, fetch the shards they need, find
// the groups of the site's own words (exact, typed so far, or one or two typing mistakes away), and rank.
// There is no stemmer here: the build stems every word of the site and ships the folded words with what
// they find (sitegen/render/search_index.py describes the files). tests/test_search.py runs this under Node.

export const MAX_RESULTS = 10;
export const MAX_REQUESTS = 6; // files a cold query may fetch: index.json, shards and record files
export const MIN_PREFIX = 3; // a word this long also finds the longer words it starts
const PAST = "was op "; // how the record of an activity that is over begins its date (search.py)
const PHRASE = 2; // a sentence with the query's words as typed doubles a result's score
const EXACT = 4; // score factors: a word found as typed ranks above one it starts,
const PREFIX = 2; //   and both above a word a typing mistake away
const TYPO = 1;

// Case and accents away: "Één" -> "een", "café" -> "cafe" (as fold() in sitegen/render/search_words.py).
export function fold(text) {
  return text.toLowerCase().replace(/ß/g, "ss").replace(/ς/g, "σ")
    .normalize("NFKD").replace(/\p{M}/gu, "");
}

// The folded words of a text, one-letter words left out (as words() in sitegen/render/search_words.py).
export function words(text) {
  return (fold(text).match(/[\p{L}\p{N}]+/gu) || []).filter((word) => Array.from(word).length > 1);
}

// The shard of a word: its first two characters, one that is not [a-z0-9] written as _<hex code>.
export function shardName(word) {
  return Array.from(word).slice(0, 2)
    .map((c) => (/^[a-z0-9]$/.test(c) ? c : "_" + c.codePointAt(0).toString(16)))
    .join("");
}

// How many typing mistakes a word of this length may have: 1 from 5 letters, 2 from 8.
export function allowedMistakes(word) {
  const length = Array.from(word).length;
  return length >= 8 ? 2 : length >= 5 ? 1 : 0;
}

// The number of typing mistakes between two words (a letter added, left out, changed, or two letters
// swapped: the optimal string alignment distance), or limit + 1 when it is more than limit.
export function distance(a, b, limit) {
  a = Array.from(a);
  b = Array.from(b);
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before = null;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, before[j - 2] + 1);
      }
      row.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    before = previous;
    previous = row;
  }
  return Math.min(previous[b.length], limit + 1);
}

// The query words to look up: stop words only when there is nothing else ("één" alone still finds the
// coalition by the titles that have it).
export function queryWords(text, stop) {
  const all = [...new Set(words(text))];
  const meaningful = all.filter((word) => !stop.has(word));
  return meaningful.length ? meaningful : all;
}

// The groups of a shard a query word finds, each with its score factor.
export function matches(shard, word) {
  const found = new Map();
  const add = (group, factor) => found.set(group, Math.max(found.get(group) || 0, factor));
  const exact = Object.hasOwn(shard.w, word);
  if (exact) add(shard.w[word], EXACT);
  const limit = allowedMistakes(word);
  for (const [other, group] of Object.entries(shard.w)) {
    if (other === word) continue;
    if (Array.from(word).length >= MIN_PREFIX && other.startsWith(word)) add(group, PREFIX);
    else if (!exact && limit && distance(word, other, limit) <= limit) add(group, TYPO);
  }
  return found;
}

// The documents of a group: number -> weight (the shard keeps them by weight, a hex digit).
function postings(shard, group) {
  const found = new Map();
  for (const [weight, numbers] of Object.entries(shard.g[group])) {
    const value = parseInt(weight, 16);
    for (const number of numbers) found.set(number, value);
  }
  return found;
}

// Every document that has all query words (or, when none has them all, the most of them), best first;
// equal scores keep the A-to-Z order of the document numbers. Each result knows the groups that found it.
export function rank(queries) {
  const byDoc = new Map(); // number -> {score, words, hits: [[shard, group], ...]}
  queries.forEach(({ shard, found }, i) => {
    const best = new Map();
    for (const [group, factor] of found) {
      for (const [number, weight] of postings(shard, group)) {
        const score = weight * factor;
        const had = best.get(number);
        if (!had || score > had.score) best.set(number, { score, group });
      }
    }
    for (const [number, { score, group }] of best) {
      const doc = byDoc.get(number) || { number, score: 0, words: 0, hits: [] };
      doc.score += score;
      doc.words += 1;
      doc.hits.push([i, group]);
      byDoc.set(number, doc);
    }
  });
  const docs = [...byDoc.values()];
  const most = Math.max(0, ...docs.map((doc) => doc.words));
  const kept = docs.filter((doc) => doc.words === most);
  kept.sort((a, b) => b.score - a.score || a.number - b.number);
  return { results: kept, all: most === queries.length };
}

// The folded words a result's excerpt should mark: every word of the shards that finds one of its groups,
// and the query words themselves (a word of the excerpt that has one inside it is marked too).
export function markWords(queries) {
  const marked = new Set();
  for (const { shard, found, word } of queries) {
    marked.add(word);
    for (const [other, group] of Object.entries(shard.w)) if (found.has(group)) marked.add(other);
  }
  return marked;
}

export function isMarked(word, marked) {
  const folded = fold(word);
  if (marked.has(folded)) return true;
  for (const m of marked) if (Array.from(m).length >= 4 && folded.includes(m)) return true;
  return false;
}

// A whole query, given load(name) that returns the parsed JSON of a file of zoekindex/ (a promise):
// {words, results: [{number, score, record, sentence}], all, total}.
export async function search(text, load) {
  const meta = await load("index.json");
  const stop = new Set(meta.stop);
  const shards = new Set(meta.shards);
  // Words past the fourth shard are left out, so that a long query still fits the request budget.
  const list = [];
  const wanted = new Set();
  for (const word of queryWords(text, stop)) {
    const name = shardName(word);
    if (!wanted.has(name) && wanted.size === MAX_REQUESTS - 2) continue;
    wanted.add(name);
    list.push(word);
  }
  const queries = await Promise.all(list.map(async (word) => {
    const name = shardName(word);
    const shard = shards.has(name) ? await load(`w/${name}.json`, meta.version) : { w: {}, g: [], s: [], d: {} };
    return { word, shard, found: matches(shard, word) };
  }));
  const { results, all } = rank(queries);
  const candidates = results.slice(0, 3 * MAX_RESULTS);
  const records = new Map();
  const missing = new Map(); // record file -> how many of the best results it has
  for (const [place, doc] of candidates.entries()) {
    for (const [i, group] of doc.hits) {
      const { shard } = queries[i];
      const sentence = shard.s[group]?.[doc.number];
      if (sentence !== undefined) (doc.sentences ||= []).push(sentence);
      if (shard.d[doc.number]) records.set(doc.number, shard.d[doc.number]);
    }
    if (!records.has(doc.number) && place < MAX_RESULTS) {
      const block = Math.floor(doc.number / meta.block);
      missing.set(block, (missing.get(block) || 0) + 1);
    }
  }
  // Record files for the best results that no shard brought, as many as the request budget leaves; on a
  // big site a result whose record is still missing then makes way for the next one.
  const spare = MAX_REQUESTS - 1 - wanted.size;
  const chosen = [...missing].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, Math.max(spare, 0));
  const blocks = await Promise.all(chosen.map(([block]) => load(`r/${block}.json`, meta.version)));
  const extra = Object.assign({}, ...blocks);
  const top = [];
  for (const doc of candidates) {
    if (top.length === MAX_RESULTS) break;
    if (!records.has(doc.number) && extra[doc.number]) {
      const [record, first] = extra[doc.number];
      records.set(doc.number, record);
      if (!doc.sentences) doc.sentences = [first];
    }
    if (!records.has(doc.number)) continue;
    doc.record = records.get(doc.number);
    top.push(doc);
  }
  // A title that is mostly what was asked ("Nieuwsbrieven" for "nieuwsbrief") goes before one that only
  // mentions it: the score grows by the share of the title's words that the query found.
  // A page that says the words as they were typed, in one sentence ("het gaat niet goed met me"), goes
  // before one that has them scattered: its score doubles.
  const marked = markWords(queries);
  const phrase = words(text).join(" ");
  for (const doc of top) {
    const titleWords = words(doc.record[1] || "").filter((word) => !stop.has(word));
    const covered = titleWords.filter((word) => isMarked(word, marked)).length;
    doc.score *= 1 + (titleWords.length ? covered / titleWords.length : 0);
    if (list.length > 1 && hasPhrase(doc.sentences, phrase)) doc.score *= PHRASE;
  }
  // An activity that is over comes after everything still to come, however well it matches.
  top.sort((a, b) => isPast(a.record) - isPast(b.record) || b.score - a.score || a.number - b.number);
  return { words: list, queries, results: top, all, total: results.length };
}

// Whether one of the sentences holds the folded words of the query, in order, side by side.
export function hasPhrase(sentences, phrase) {
  return (sentences || []).some((sentence) => ` ${words(sentence).join(" ")} `.includes(` ${phrase} `));
}

// Whether a result is an activity that is over: its record says "was op ..." (sitegen/render/search.py).
export function isPast(record) {
  return record[2] === "activiteit" && String(record[3] || "").startsWith(PAST) ? 1 : 0;
}

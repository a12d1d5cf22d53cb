// Runs static/js/search-core.js under Node on a built zoekindex/ folder: node run_queries.mjs CORE DIR
// reads a JSON list of queries on stdin and prints, per query, the search result (for tests/test_search*.py).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [core, folder] = process.argv.slice(2);
const { search } = await import(pathToFileURL(core).href);
const fetched = [];
const cache = new Map();
const load = (name) => {
  if (!cache.has(name)) {
    fetched.push(name);
    cache.set(name, Promise.resolve(JSON.parse(readFileSync(join(folder, name), "utf8"))));
  }
  return cache.get(name);
};
const queries = JSON.parse(readFileSync(0, "utf8"));
const out = [];
for (const query of queries) {
  fetched.length = 0;
  cache.clear();
  const found = await search(query, load);
  out.push({
    query, words: found.words, all: found.all, total: found.total, files: [...fetched],
    results: found.results.map((r) => ({ url: r.record[0], title: r.record[1], record: r.record, score: r.score,
      sentences: r.sentences || [] })),
  });
}
console.log(JSON.stringify(out));

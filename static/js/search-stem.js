// The Dutch word rules of the search index: the twin of fold, stem, tokens and bucket in
// sitegen/search.py, with exactly the same rules (tests/test_search.py runs both on the same words).
// Change one, change the other.

export const STOP_WORDS = new Set(
  ("aan als bij dan dat de die dit door een en er het in is je maar met naar " +
   "of om ook op te tot uit van voor was we ze zijn").split(" "),
);
const MIN_KEEP = 3; // a suffix is only stripped when at least this many letters remain
const VOWELS = "aeiou";

// Case and accents away: "Één" -> "een" (Python's casefold, NFKD, no combining marks).
export function fold(text) {
  return text.toLowerCase().replace(/ß/g, "ss").replace(/ς/g, "σ")
    .normalize("NFKD").replace(/\p{M}/gu, "");
}

// A light Dutch stem: see stem() in sitegen/search.py for the rules, step by step. Works on code
// points, as Python does, so a letter outside the BMP counts once.
export function stem(word) {
  let w = Array.from(fold(word));
  const endsWith = (suffix) => w.slice(-suffix.length).join("") === suffix;
  const keeps = (suffix) => endsWith(suffix) && w.length - suffix.length >= MIN_KEEP;
  if (keeps("'s") || keeps("\u2019s")) {
    w = w.slice(0, -2);
  } else if (keeps("en")) {
    w = w.slice(0, -2);
    const last = w[w.length - 1];
    if (w.length > MIN_KEEP && last === w[w.length - 2] && !VOWELS.includes(last)) {
      w = w.slice(0, -1);
    } else if (last === "v") {
      w[w.length - 1] = "f";
    } else if (last === "z") {
      w[w.length - 1] = "s";
    }
  } else if (keeps("s")) {
    w = w.slice(0, -1);
  }
  if (keeps("e")) w = w.slice(0, -1);
  if (keeps("s")) w = w.slice(0, -1);
  return w.join("").replace(/([aeou])\1/g, "$1");
}

// The folded words of a text worth searching for: no one-letter words, no stop words.
export function tokens(text) {
  return (fold(text).match(/[\p{L}\p{N}]+/gu) || [])
    .filter((word) => Array.from(word).length > 1 && !STOP_WORDS.has(word));
}

// The term file of a stem: its first two characters, one that is not [a-z0-9] written as _<hex code>.
export function bucket(term) {
  return Array.from(term).slice(0, 2)
    .map((c) => (/^[a-z0-9]$/.test(c) ? c : "_" + c.codePointAt(0).toString(16)))
    .join("");
}

// "Did you mean …?" for mistyped keys, enum values and names. Designers type
// project files by hand (tickrate, Websocket, "string"); a near match turns a
// puzzling error into an obvious fix.

/**
 * Edit distance (optimal string alignment: insert, delete, replace, swap two
 * neighbours), case-insensitive: a case slip counts as no edit, "Mian" is one
 * edit from "Main".
 */
function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], prev2[j - 2] + 1);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * Longest word a suggestion is looked for. Names people type are short; the
 * edit distance costs the product of the two lengths, so a hostile file's
 * megabyte-long node type must not be compared with anything.
 */
export const MAX_SUGGEST_LENGTH = 64;

/**
 * The candidate closest to `word`, when it is close enough to be a likely
 * typo (about one edit per three characters); the first of equals wins, so
 * the answer is stable. No suggestion for a word (or from a candidate)
 * longer than MAX_SUGGEST_LENGTH.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length > MAX_SUGGEST_LENGTH) return undefined;
  let best: string | undefined;
  let bestD = Infinity;
  const budget = Math.max(1, Math.floor(word.length / 3));
  for (const c of candidates) {
    // The distance is at least the difference in length: skip what cannot be within budget.
    if (c === word || c.length > MAX_SUGGEST_LENGTH || Math.abs(c.length - word.length) > budget) continue;
    const d = distance(word, c);
    if (d <= budget && d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

/**
 * A name from the file as a message shows it: at most `max` characters, the
 * rest cut off with an ellipsis (a hostile file's megabyte-long name must
 * not be echoed whole into every diagnostic that names it).
 */
export function shorten(s: string, max = 60): string {
  return s.length > max ? s.slice(0, max) + '…' : s;
}

/** The `did you mean "x"?` a message built with didYouMean() holds, as a diagnostic's hint. */
export function hintIn(message: string): string | undefined {
  const m = / \((did you mean "[^"]*"\?)\)/.exec(message);
  return m ? m[1] : undefined;
}

/** ` (did you mean "x"?)`, or an empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : ` (did you mean "${c}"?)`;
}

// What the kit's back ends did lately, as one counter: every send, drop,
// refusal, restart and accepted connection bumps it. A rig compares it
// before each step: when it moved, the step settles I/O first, so that what
// a test made a back end do reaches the runtime in the very next tick
// (docs/HIL.md, "I/O before time").

let count = 0;

export function bump(): void {
  count++;
}

export function activity(): number {
  return count;
}

/** What a test matches received messages with: a substring, a pattern, or a predicate. */
export type Matcher<M> = string | RegExp | ((m: M) => boolean);

export function matches<M extends { text: string }>(m: M, match: Matcher<M>): boolean {
  if (typeof match === 'string') return m.text.includes(match);
  if (match instanceof RegExp) return match.test(m.text);
  return match(m);
}

export const describeMatcher = (match: Matcher<never>): string =>
  typeof match === 'string' ? JSON.stringify(match) : match instanceof RegExp ? String(match) : 'the predicate';

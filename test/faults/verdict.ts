// What a fault run comes to: the ups' accounting (sent = delivered or
// reported, nothing lost without a report, no duplicate without a flag),
// the times that matter (detection, recovery), memory, and the problems a
// scenario's own checks found.

import type { Rig } from './rig.ts';

export interface Verdict {
  /** Ups the client's logic sent (accounted ones: all of a killed process's, the current one's up to finish()). */
  sent: number;
  /** Of those, received by the back end (at least once). */
  delivered: number;
  /** Of those not delivered, the ones the client's logic was told about (refused, reported unconfirmed). */
  reported: number;
  /** Neither delivered nor reported: lost without a word. */
  lost: number;
  /** Lost by a client process that was killed (nothing left to report them). */
  lostAtKill: number;
  /** Ups the back end received more than once: flagged as possible duplicates, or not. */
  dupFlagged: number;
  dupUnflagged: number;
  /** ms from the fault (or its release) to the client's next open; undefined when it never came. */
  recoverMs?: number;
  /** ms from the fault to the client's first close after it (a dead link noticed). */
  detectMs?: number;
  idleRss: number;
  peakRss: number;
  /** Scenario-specific figures (flood: echoed and time). */
  extra: Record<string, number | string>;
  problems: string[];
}

export function account(rig: Rig, extra: Record<string, number | string> = {}): Verdict {
  const killed = new Set(rig.killed);
  const current = rig.ups.filter((u) => u.instance === rig.instance && !killed.has(u.instance)).slice(0, rig.accountedUps);
  const accounted = [...rig.ups.filter((u) => killed.has(u.instance)), ...current];
  const got = new Map<string, { count: number; flagged: number }>();
  for (const d of rig.delivered()) {
    const k = `${d.instance}:${d.n}`;
    const g = got.get(k) ?? { count: 0, flagged: 0 };
    g.count++;
    if (d.dup) g.flagged++;
    got.set(k, g);
  }
  let delivered = 0;
  let reported = 0;
  let lost = 0;
  let lostAtKill = 0;
  for (const u of accounted) {
    const k = `${u.instance}:${u.n}`;
    if (got.has(k)) delivered++;
    else if (u.outcome === 'reported' || rig.reportedLater.has(k)) reported++;
    else if (killed.has(u.instance)) lostAtKill++;
    else lost++;
  }
  let dupFlagged = 0;
  let dupUnflagged = 0;
  for (const g of got.values()) {
    if (g.count < 2) continue;
    // The first copy needs no flag; every later one does.
    if (g.flagged >= g.count - 1) dupFlagged += g.count - 1;
    else dupUnflagged += g.count - 1 - g.flagged;
  }
  const fault = rig.marks.get('fault');
  const from = rig.marks.get('release') ?? fault;
  const open = from === undefined ? undefined : rig.seen.find((e) => e.kind === 'open' && e.at >= from);
  // A close after finish() began is the client's own stop, not the fault noticed.
  const end = rig.marks.get('end') ?? Infinity;
  const close = fault === undefined ? undefined : rig.seen.find((e) => e.kind === 'close' && e.at >= fault && e.at < end);
  return {
    sent: accounted.length,
    delivered,
    reported,
    lost,
    lostAtKill,
    dupFlagged,
    dupUnflagged,
    recoverMs: open && from !== undefined ? open.at - from : undefined,
    detectMs: close && fault !== undefined ? close.at - fault : undefined,
    idleRss: rig.idleRss,
    peakRss: rig.lastStats?.peakRss ?? 0,
    extra,
    problems: [...rig.problems],
  };
}

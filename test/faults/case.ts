// One cell of the matrix: a scenario, a protocol, a client (and engine),
// run on a fresh rig; its verdict with pulsewire's expectations checked.

import type { Bundles } from './bundle.ts';
import type { ClientKind, Engine, Proto } from './protocol.ts';
import { Rig } from './rig.ts';
import { CONNECTION, type Scenario } from './scenarios.ts';
import { account, type Verdict } from './verdict.ts';

export interface Case {
  scenario: Scenario;
  proto: Proto;
  client: ClientKind;
  engine: Engine;
  short: boolean;
  mode?: 'fixed' | 'on-demand';
}

export const caseName = (c: Omit<Case, 'scenario' | 'short'> & { scenario: { id: string } }) =>
  `${c.scenario.id}-${c.proto}-${c.client === 'pulsewire' ? c.engine : c.client}`;

let serial = 0;

export async function runCase(bundles: Bundles, c: Case): Promise<Verdict> {
  const o = { proto: c.proto, short: c.short };
  const rig = new Rig({
    bundles,
    proto: c.proto,
    client: c.client,
    engine: c.engine,
    mode: c.mode,
    connection: CONNECTION[c.proto],
    name: `${caseName(c)}-${++serial}`,
    ...(await c.scenario.rig?.(c.proto)),
  });
  let extra: Record<string, number | string> = {};
  try {
    extra = await c.scenario.run(rig, o);
    await rig.finish();
  } catch (e) {
    rig.problems.push(`the run failed: ${(e as Error).message}`);
    await rig.abort();
  }
  const v = account(rig, extra);
  if (c.client === 'pulsewire') v.problems.push(...c.scenario.expect(rig, v, o));
  return v;
}

// The fault suite's short tier, inside `npm test`: a few fault kinds, on
// both engines and both protocols, each against real child processes (a
// telemetry back end, pulsewire as a board runs it) through the fault
// proxy. What is asserted is what the matrix checks (scenarios.ts): the
// client survives and exits on its own when stopped, its graph sees the
// right events in the right order, and every up it sent is delivered or
// reported. Counts and order only — no wall-clock margin. `npm run faults`
// runs every fault kind, with the comparison clients beside.

import { strict as assert } from 'node:assert';
import { bundleChildren, type Bundles } from './bundle.ts';
import { runCase } from './case.ts';
import type { Engine, Proto } from './protocol.ts';
import { SCENARIOS } from './scenarios.ts';

describe('faults (short tier; `npm run faults` has the whole matrix)', function () {
  // Each case starts a back end and a client process and waits for them to recover: seconds, bounded.
  this.timeout(60_000);
  let bundles: Bundles;
  before(async () => {
    bundles = await bundleChildren();
  });
  after(() => bundles?.remove());

  for (const scenario of SCENARIOS.filter((s) => s.short)) {
    for (const proto of scenario.protos.filter((p) => scenario.short === true || (scenario.short as Proto[]).includes(p))) {
      for (const engine of ['node', 'quickjs'] as Engine[]) {
        it(`${scenario.title} — ${proto === 'ws' ? 'WebSocket' : 'Socket.IO'}, ${engine}${scenario.shortMode ? `, ${scenario.shortMode} mode` : ''}`, async () => {
          const v = await runCase(bundles, { scenario, proto, client: 'pulsewire', engine, short: true, mode: scenario.shortMode });
          assert.deepEqual(v.problems, [], `${scenario.id}: ${JSON.stringify({ ...v, problems: undefined })}`);
          // The accounting covers something: ups went out before the fault, and each is accounted for.
          assert.ok(v.sent >= 3, `only ${v.sent} ups sent`);
          assert.equal(v.delivered + v.reported + v.lost + v.lostAtKill, v.sent);
        });
      }
    }
  }
});

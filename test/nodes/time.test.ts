// Time: Start Timeout, Cancel Timeout, Start Interval, Reset Interval, on
// the tick clock (the test steps a virtual clock).

import assert from 'node:assert/strict';
import { P, boot, log, chain, project, run } from './kit.ts';
import type { NodeDecl } from '../../runtime/project/model.ts';
import type { VmHarness } from './kit.ts';

const timeout = (id: string, seconds: number): NodeDecl => ({ id, type: 'Start Timeout', inputs: { Seconds: seconds } });
const interval = (id: string, seconds: number): NodeDecl => ({ id, type: 'Start Interval', inputs: { Seconds: seconds } });
/** Console lines with the tick time they came out at: "t=500 fired". */
const timed = (h: VmHarness) => h.outputs.flatMap((o) => (o.output.kind === 'console' ? [`t=${o.time} ${o.output.text}`] : []));
const ticks = (h: VmHarness, times: number[]) => { for (const t of times) h.tick(t); return h; };

describe('nodes/time', () => {
  describe('Start Timeout', () => {
    const single = (seconds: number) => run(project({
      nodes: [boot(), timeout('to', seconds), log('started', 'started'), log('fired', 'fired'), log('after', 'after start')],
      links: [['boot', P, 'to', P], ['to', 'OnStart', 'started', P], ['started', P, 'after', P], ['to', P, 'fired', P]],
    }));

    it('OnStart fires at once; the delayed ► in the first tick whose time reaches the due time', () => {
      const h = ticks(single(0.5), [0, 16, 400, 499, 516, 1000, 2000]);
      assert.deepEqual(timed(h), ['t=0 started', 't=0 after start', 't=516 fired']);
    });

    it('fires in a tick exactly at its due time', () => {
      assert.deepEqual(timed(ticks(single(0.25), [0, 250, 500])), ['t=0 started', 't=0 after start', 't=250 fired']);
    });

    it('a zero-second timeout fires in the next tick, not the same one (even at the same time)', () => {
      assert.deepEqual(timed(ticks(single(0), [0, 0, 0])), ['t=0 started', 't=0 after start', 't=0 fired']);
      const h = single(0);
      h.tick(0);
      assert.deepEqual(h.console(), ['started', 'after start']);
      h.tick(0);
      assert.deepEqual(h.console(), ['started', 'after start', 'fired']);
    });

    it('a negative delay counts as zero', () => {
      assert.deepEqual(timed(ticks(single(-3), [0, 1])), ['t=0 started', 't=0 after start', 't=1 fired']);
    });

    it('outputs a distinct Instance ID per start, readable from OnStart on; each start is its own timer', () => {
      const h = run(project({
        nodes: [
          boot(), { id: 'loop', type: 'For Loop', inputs: { First: 1, Last: 2 } }, { id: 'to', type: 'Start Timeout' },
          { id: 'secs', type: 'Multiply', inputs: { 'Input 1': 0.1 } },
          { id: 'fmt', type: 'Format', attributes: { 'Input Count': 1 }, inputs: { Format: 'start id {0}' } }, { id: 'show', type: 'Console' },
          { id: 'fmt2', type: 'Format', attributes: { 'Input Count': 1 }, inputs: { Format: 'fired, last id {0}' } }, { id: 'show2', type: 'Console' },
        ],
        links: [
          ['boot', P, 'loop', P], ['loop', 'Loop Body', 'to', P], ['loop', 'Index', 'secs', 'Input 0'], ['secs', 'Output', 'to', 'Seconds'],
          ['to', 'OnStart', 'show', P], ['to', 'Instance ID', 'fmt', 'Input 0'], ['fmt', 'Output', 'show', 'Input'],
          ['to', P, 'show2', P], ['to', 'Instance ID', 'fmt2', 'Input 0'], ['fmt2', 'Output', 'show2', 'Input'],
        ],
      }));
      ticks(h, [0, 100, 200]);
      const lines = timed(h);
      assert.equal(lines.length, 4);
      const [a, b] = [lines[0].match(/id (\d+)/)![1], lines[1].match(/id (\d+)/)![1]];
      assert.notEqual(a, b);
      assert.deepEqual(lines, [`t=0 start id ${a}`, `t=0 start id ${b}`, `t=100 fired, last id ${b}`, `t=200 fired, last id ${b}`]);
    });

    it('timers due in the same tick fire in due-time order, ties in start order', () => {
      const h = run(project({
        nodes: [
          boot(), timeout('late', 0.3), timeout('early', 0.1), timeout('tie1', 0.2), timeout('tie2', 0.2),
          log('l', 'late'), log('e', 'early'), log('t1', 'tie 1'), log('t2', 'tie 2'),
        ],
        links: [
          ['boot', P, 'late', P], ['late', 'OnStart', 'early', P], ['early', 'OnStart', 'tie1', P], ['tie1', 'OnStart', 'tie2', P],
          ['late', P, 'l', P], ['early', P, 'e', P], ['tie1', P, 't1', P], ['tie2', P, 't2', P],
        ],
      }));
      ticks(h, [0, 1000]);
      assert.deepEqual(h.console(), ['early', 'tie 1', 'tie 2', 'late']);
    });
  });

  describe('Cancel Timeout', () => {
    const cancellable = (cancelAt: number) => run(project({
      nodes: [
        boot(), timeout('to', 1), log('fired', 'fired'), log('cancelled', 'cancelled'),
        timeout('killer', cancelAt), { id: 'cancel', type: 'Cancel Timeout' }, log('afterCancel', 'after cancel'),
      ],
      links: [
        ['boot', P, 'to', P], ['to', 'OnStart', 'killer', P], ['to', P, 'fired', P], ['to', 'OnCancel', 'cancelled', P],
        ['killer', P, 'cancel', P], ['to', 'Instance ID', 'cancel', 'Instance ID'], ['cancel', P, 'afterCancel', P],
      ],
    }));

    it('runs OnCancel at once, then its own ►; the delayed ► never fires', () => {
      const h = ticks(cancellable(0.5), [0, 500, 1000, 2000]);
      assert.deepEqual(timed(h), ['t=500 cancelled', 't=500 after cancel']);
    });

    it('of a timeout that already fired does nothing but continue', () => {
      const h = ticks(cancellable(1.5), [0, 1000, 1500, 2000]);
      assert.deepEqual(timed(h), ['t=1000 fired', 't=1500 after cancel']);
    });

    it('Cancel Timeout and Reset Interval are one operation: Reset Interval cancels a timeout (OnCancel runs)', () => {
      const h = run(project({
        nodes: [boot(), timeout('to', 1), log('c', 'cancelled'), log('f', 'fired'), { id: 'reset', type: 'Reset Interval' }],
        links: [['boot', P, 'to', P], ['to', 'OnCancel', 'c', P], ['to', P, 'f', P], ['to', 'OnStart', 'reset', P], ['to', 'Instance ID', 'reset', 'Instance ID']],
      }));
      ticks(h, [0, 1000]);
      assert.deepEqual(timed(h), ['t=0 cancelled']);
    });

    it('of an unknown Instance ID does nothing but continue', () => {
      const h = run(project({
        nodes: [boot(), { id: 'cancel', type: 'Cancel Timeout', inputs: { 'Instance ID': 999 } }, log('next', 'next')],
        links: chain('boot', 'cancel', 'next'),
      }));
      h.tick(0);
      assert.deepEqual(h.console(), ['next']);
      assert.deepEqual(h.errors(), []);
    });
  });

  describe('Start Interval / Reset Interval', () => {
    const every = (seconds: number) => run(project({
      nodes: [boot(), interval('iv', seconds), log('started', 'started'), log('tick', 'tick')],
      links: [['boot', P, 'iv', P], ['iv', 'OnStart', 'started', P], ['iv', P, 'tick', P]],
    }));

    it('fires once per period after OnStart', () => {
      const h = ticks(every(0.5), [0, 250, 500, 750, 1000, 1250, 1500]);
      assert.deepEqual(timed(h), ['t=0 started', 't=500 tick', 't=1000 tick', 't=1500 tick']);
    });

    it('fires at most once per tick when the clock jumps, and keeps its phase', () => {
      const h = ticks(every(1), [0, 5500, 5600, 6000, 7000]);
      assert.deepEqual(timed(h), ['t=0 started', 't=5500 tick', 't=6000 tick', 't=7000 tick']);
    });

    it('with zero seconds fires once in every later tick (regression: it fired only once)', () => {
      const h = ticks(every(0), [0, 16, 32, 48]);
      assert.deepEqual(timed(h), ['t=0 started', 't=16 tick', 't=32 tick', 't=48 tick']);
    });

    it('Reset Interval stops it (here from its own chain, after the third firing), running nothing else', () => {
      const h = run(project({
        variables: [{ name: 'n', type: 'Int' }],
        nodes: [
          boot(), interval('iv', 1), { id: 'get', type: 'Variable Getter', attributes: { Variable: 'n' } },
          { id: 'inc', type: 'Add', inputs: { 'Input 1': 1 } }, { id: 'set', type: 'Variable Setter', attributes: { Variable: 'n' } },
          { id: 'show', type: 'Console' }, { id: 'is3', type: 'Is Equal', inputs: { 'Input 1': 3 } }, { id: 'br', type: 'Branch' },
          { id: 'reset', type: 'Reset Interval' }, log('stopped', 'stopped'),
        ],
        links: [
          ['boot', P, 'iv', P], ['iv', P, 'set', P], ['get', 'Value', 'inc', 'Input 0'], ['inc', 'Output', 'set', 'Value'],
          ['set', P, 'show', P], ['set', 'Value', 'show', 'Input'], ['show', P, 'br', P], ['set', 'Value', 'is3', 'Input 0'],
          ['is3', 'Output', 'br', 'Input'], ['br', 'OnTrue', 'reset', P], ['iv', 'Instance ID', 'reset', 'Instance ID'], ['reset', P, 'stopped', P],
        ],
      }));
      ticks(h, [0, 1000, 2000, 3000, 4000, 5000, 6000]);
      assert.deepEqual(timed(h), ['t=1000 1', 't=2000 2', 't=3000 3', 't=3000 stopped']);
      assert.equal(h.vm.nextDue(), undefined, 'no timer left');
    });

    it('Reset Interval from another chain stops it before its next firing', () => {
      const h = run(project({
        nodes: [boot(), interval('iv', 1), log('tick', 'tick'), timeout('stopAt', 2.5), { id: 'reset', type: 'Reset Interval' }],
        links: [['boot', P, 'iv', P], ['iv', P, 'tick', P], ['iv', 'OnStart', 'stopAt', P], ['stopAt', P, 'reset', P], ['iv', 'Instance ID', 'reset', 'Instance ID']],
      }));
      ticks(h, [0, 1000, 2000, 2500, 3000, 4000]);
      assert.deepEqual(timed(h), ['t=1000 tick', 't=2000 tick']);
    });
  });

  describe('timers and scenes', () => {
    const scenes = () => project({
      settings: { startScene: 'A' },
      nodes: [{ id: 'boot', type: 'On Scene Loaded', attributes: { Scene: 'A' } }, interval('piv', 1), log('ptick', 'project interval')],
      links: [['boot', P, 'piv', P], ['piv', P, 'ptick', P]],
      scopes: [
        {
          kind: 'Scene', name: 'A',
          nodes: [
            { id: 'loaded', type: 'On Scene Loaded' }, interval('iv', 1), log('tick', 'A interval'), timeout('to', 2.5), log('late', 'A timeout'),
            timeout('leave', 1.5), { id: 'go', type: 'Load Scene', attributes: { Scene: 'B' } },
          ],
          links: [
            { from: ['loaded', P], to: ['iv', P] }, { from: ['iv', P], to: ['tick', P] }, { from: ['iv', 'OnStart'], to: ['to', P] },
            { from: ['to', P], to: ['late', P] }, { from: ['to', 'OnStart'], to: ['leave', P] }, { from: ['leave', P], to: ['go', P] },
          ],
        },
        { kind: 'Scene', name: 'B', nodes: [] },
      ],
    });

    it("a scene's timers are dropped when another scene loads; the Project's keep running", () => {
      const h = ticks(run(scenes()), [0, 1000, 1500, 1516, 2000, 2500, 3000]);
      assert.deepEqual(timed(h), [
        't=1000 project interval', 't=1000 A interval', 't=2000 project interval', 't=3000 project interval',
      ]);
    });

    it('reloading the loaded scene drops its timers too, as it resets its variables (regression: they doubled)', () => {
      const h = run(project({
        settings: { startScene: 'A' },
        nodes: [],
        scopes: [{
          kind: 'Scene', name: 'A',
          nodes: [
            { id: 'loaded', type: 'On Scene Loaded' }, log('hello', 'A loaded'), interval('iv', 1), log('tick', 'A interval'),
            timeout('reload', 1.5), { id: 'again', type: 'Load Scene', attributes: { Scene: 'A' } },
          ],
          links: [
            { from: ['loaded', P], to: ['hello', P] }, { from: ['hello', P], to: ['iv', P] }, { from: ['iv', P], to: ['tick', P] },
            { from: ['iv', 'OnStart'], to: ['reload', P] }, { from: ['reload', P], to: ['again', P] },
          ],
        }],
      }));
      ticks(h, [0, 1000, 1500, 1516, 2000, 2516, 3000, 3016, 3032]);
      // Reloaded at 1516: the first interval (due 2000) and the first reload timeout are gone; a new pair starts.
      assert.deepEqual(timed(h), [
        't=0 A loaded', 't=1000 A interval', 't=1516 A loaded', 't=2516 A interval', 't=3032 A loaded',
      ]);
    });
  });
});

// Events, scenes and functions: On Scene Loaded, Load Scene, Event Trigger
// → Event Listener, the Function scope, and the inbound queue's overflow.

import assert from 'node:assert/strict';
import { P, boot, log, chain, project, run } from './kit.ts';
import type { NodeDecl, ScopeDecl, LinkDecl } from '../../runtime/project/model.ts';
import type { VmHarness } from './kit.ts';

const L = (a: string, ap: string, b: string, bp: string): LinkDecl => ({ from: [a, ap], to: [b, bp] });
const scene = (name: string, nodes: NodeDecl[], links: LinkDecl[] = []): ScopeDecl => ({ kind: 'Scene', name, nodes, links });
const loadScene = (id: string, to: string): NodeDecl => ({ id, type: 'Load Scene', attributes: { Scene: to } });
const timeout = (id: string, seconds: number): NodeDecl => ({ id, type: 'Start Timeout', inputs: { Seconds: seconds } });
const timed = (h: VmHarness) => h.outputs.flatMap((o) => (o.output.kind === 'console' ? [`t=${o.time} ${o.output.text}`] : []));

describe('nodes/events-scenes-functions', () => {
  describe('On Scene Loaded', () => {
    const twoScenes = () => project({
      settings: { startScene: 'Menu' },
      nodes: [
        boot('any'), log('anyLog', 'project: any scene'),
        { id: 'onGame', type: 'On Scene Loaded', attributes: { Scene: 'Game' } }, log('gameLog', 'project: Game only'),
      ],
      links: [['any', P, 'anyLog', P], ['onGame', P, 'gameLog', P]],
      scopes: [
        scene('Game', [{ id: 'l', type: 'On Scene Loaded' }, log('g', 'Game scene')], [L('l', P, 'g', P)]),
        scene('Menu', [
          { id: 'l', type: 'On Scene Loaded' }, log('m', 'Menu scene'), log('m2', 'Menu second listener'), { id: 'l2', type: 'On Scene Loaded' },
          timeout('wait', 1), loadScene('go', 'Game'),
        ], [L('l', P, 'm', P), L('m', P, 'wait', P), L('wait', P, 'go', P), L('l2', P, 'm2', P)]),
      ],
    });

    it('the start scene loads in the first tick: Project listeners first, then the scene\'s, in node order', () => {
      const h = run(twoScenes());
      h.tick(0);
      assert.deepEqual(h.console(), ['project: any scene', 'Menu scene', 'Menu second listener']);
      assert.equal(h.vm.loadedScene, 'Menu');
    });

    it('Project listeners fire for every scene (or only the one they name); Scene listeners only for their own', () => {
      const h = run(twoScenes());
      for (const t of [0, 1000, 1016]) h.tick(t);
      assert.deepEqual(timed(h), [
        't=0 project: any scene', 't=0 Menu scene', 't=0 Menu second listener',
        't=1016 project: any scene', 't=1016 project: Game only', 't=1016 Game scene',
      ]);
      assert.equal(h.vm.loadedScene, 'Game');
    });

    it('without startScene the first scene in the file loads; with no scenes the Project boot still fires', () => {
      const h = run(project({ nodes: [boot(), log('b', 'boot')], links: [['boot', P, 'b', P]], scopes: [scene('First', []), scene('Second', [])] }));
      h.tick(0);
      assert.equal(h.vm.loadedScene, 'First');
      assert.deepEqual(h.console(), ['boot']);
      const bare = run(project({ nodes: [boot(), log('b', 'boot')], links: [['boot', P, 'b', P]] }));
      bare.tick(0);
      assert.deepEqual(bare.console(), ['boot']);
      assert.equal(bare.vm.loadedScene, undefined);
      bare.tick(16);
      assert.deepEqual(bare.console(), ['boot'], 'only once');
    });
  });

  describe('Load Scene', () => {
    it('takes effect at the start of the next tick; the chain after it still runs in the old scene', () => {
      const h = run(project({
        settings: { startScene: 'A' },
        nodes: [],
        scopes: [
          scene('A', [{ id: 'l', type: 'On Scene Loaded' }, loadScene('go', 'B'), log('after', 'after Load Scene'), timeout('t0', 0), log('late', 'A timer')],
            [L('l', P, 'go', P), L('go', P, 'after', P), L('after', P, 't0', P), L('t0', P, 'late', P)]),
          scene('B', [{ id: 'l', type: 'On Scene Loaded' }, log('b', 'B loaded')], [L('l', P, 'b', P)]),
        ],
      }));
      h.tick(0);
      assert.deepEqual(h.console(), ['after Load Scene']);
      assert.equal(h.vm.loadedScene, 'A');
      h.tick(16);
      // B loads first thing; A's zero-second timer would have fired in this tick, but A's timers went with A.
      assert.deepEqual(h.console(), ['after Load Scene', 'B loaded']);
      assert.equal(h.vm.loadedScene, 'B');
    });

    it('when several Load Scenes run in one tick, the last one wins', () => {
      const h = run(project({
        nodes: [{ id: 'boot', type: 'On Scene Loaded', attributes: { Scene: 'A' } }, loadScene('b', 'B'), loadScene('c', 'C')],
        links: chain('boot', 'b', 'c'),
        scopes: [scene('A', []), scene('B', []), scene('C', [{ id: 'l', type: 'On Scene Loaded' }, log('x', 'C loaded')], [L('l', P, 'x', P)])],
      }));
      h.tick(0);
      assert.equal(h.vm.loadedScene, 'A');
      h.tick(16);
      assert.equal(h.vm.loadedScene, 'C');
      assert.deepEqual(h.console(), ['C loaded']);
    });

    it("the old scene's listeners stop firing, the new scene's start", () => {
      const listener = (id: string, text: string): [NodeDecl[], LinkDecl[]] =>
        [[{ id, type: 'Event Listener', attributes: { Event: 'ping' } }, log(`${id}Log`, text)], [L(id, P, `${id}Log`, P)]];
      const [aN, aL] = listener('la', 'A heard ping');
      const [bN, bL] = listener('lb', 'B heard ping');
      const h = run(project({
        settings: { startScene: 'A' },
        nodes: [
          { id: 'ping', type: 'Start Interval', inputs: { Seconds: 1 } }, boot('once'),
          { id: 'trigger', type: 'Event Trigger', attributes: { Event: 'ping' } },
          { id: 'on', type: 'On Scene Loaded', attributes: { Scene: 'A' } },
        ],
        links: [['on', P, 'ping', P], ['ping', P, 'trigger', P]],
        scopes: [
          scene('A', [...aN, timeout('leave', 1.5), loadScene('go', 'B'), { id: 'l', type: 'On Scene Loaded' }], [...aL, L('l', P, 'leave', P), L('leave', P, 'go', P)]),
          scene('B', bN, bL),
        ],
      }));
      for (const t of [0, 1000, 1500, 1516, 2000, 3000]) h.tick(t);
      assert.deepEqual(timed(h), ['t=1000 A heard ping', 't=2000 B heard ping', 't=3000 B heard ping']);
    });
  });

  describe('Event Trigger → Event Listener', () => {
    it('runs every live listener at once, with the parameters, before the trigger continues', () => {
      const h = run(project({
        settings: { startScene: 'Main' },
        nodes: [
          boot(), log('before', 'before'),
          { id: 'trig', type: 'Event Trigger', attributes: { Event: 'alarm', Parameters: ['Int', 'String'] }, inputs: { 'Parameter 0': 3, 'Parameter 1': 'oil' } },
          log('after', 'after'),
          { id: 'lp', type: 'Event Listener', attributes: { Event: 'alarm', Parameters: ['Int', 'String'] } },
          { id: 'fmt', type: 'Format', attributes: { 'Input Count': 2 }, inputs: { Format: 'project: level {0} {1}' } }, { id: 'show', type: 'Console' },
          { id: 'other', type: 'Event Listener', attributes: { Event: 'other' } }, log('o', 'other event'),
        ],
        links: [
          ...chain('boot', 'before', 'trig', 'after'), ['lp', P, 'show', P], ['lp', 'Parameter 0', 'fmt', 'Input 0'],
          ['lp', 'Parameter 1', 'fmt', 'Input 1'], ['fmt', 'Output', 'show', 'Input'], ['other', P, 'o', P],
        ],
        scopes: [
          scene('Main', [
            { id: 'ls', type: 'Event Listener', attributes: { Event: 'alarm', Parameters: ['Int', 'String'] } }, { id: 'show', type: 'Console' },
          ], [L('ls', P, 'show', P), L('ls', 'Parameter 1', 'show', 'Input')]),
          scene('Unloaded', [{ id: 'lu', type: 'Event Listener', attributes: { Event: 'alarm', Parameters: ['Int', 'String'] } }, log('u', 'unloaded scene heard it')],
            [L('lu', P, 'u', P)]),
        ],
      }));
      h.tick(0);
      assert.deepEqual(h.console(), ['before', 'project: level 3 oil', 'oil', 'after']);
      assert.deepEqual(h.errors(), []);
    });

    it('a trigger with no listeners just continues; listeners may trigger further events (nested, to completion)', () => {
      const h = run(project({
        nodes: [
          boot(), { id: 'none', type: 'Event Trigger', attributes: { Event: 'nobody' } }, { id: 'first', type: 'Event Trigger', attributes: { Event: 'first' } },
          log('done', 'done'),
          { id: 'l1', type: 'Event Listener', attributes: { Event: 'first' } }, log('a', 'first: begin'),
          { id: 'second', type: 'Event Trigger', attributes: { Event: 'second' } }, log('b', 'first: end'),
          { id: 'l2', type: 'Event Listener', attributes: { Event: 'second' } }, log('c', 'second'),
        ],
        links: [...chain('boot', 'none', 'first', 'done'), ...chain('l1', 'a', 'second', 'b'), ['l2', P, 'c', P]],
      }));
      h.tick(0);
      assert.deepEqual(h.console(), ['first: begin', 'second', 'first: end', 'done']);
    });

    it('parameters are passed per trigger; listeners keep the last ones on their pins', () => {
      const h = run(project({
        nodes: [
          boot(), { id: 'loop', type: 'For Loop', inputs: { First: 1, Last: 3 } },
          { id: 'trig', type: 'Event Trigger', attributes: { Event: 'n', Parameters: ['Int'] } },
          { id: 'ln', type: 'Event Listener', attributes: { Event: 'n', Parameters: ['Int'] } }, { id: 'sq', type: 'Multiply' }, { id: 'show', type: 'Console' },
        ],
        links: [
          ['boot', P, 'loop', P], ['loop', 'Loop Body', 'trig', P], ['loop', 'Index', 'trig', 'Parameter 0'],
          ['ln', P, 'show', P], ['ln', 'Parameter 0', 'sq', 'Input 0'], ['ln', 'Parameter 0', 'sq', 'Input 1'], ['sq', 'Output', 'show', 'Input'],
        ],
      }));
      h.tick(0);
      assert.deepEqual(h.console(), ['1', '4', '9']);
    });
  });

  describe('Functions', () => {
    const fn = (name: string, parameters: { name: string; type: string }[], results: { name: string; type: string }[], nodes: NodeDecl[], links: LinkDecl[]): ScopeDecl =>
      ({ kind: 'Function', name, parameters, results, nodes, links } as ScopeDecl);

    it('a Function node passes its parameters, runs the body to completion, then continues with the results', () => {
      const h = run(project({
        nodes: [
          boot(), { id: 'call', type: 'Function', attributes: { Function: 'Hypot2' }, inputs: { a: 3, b: 4 } }, { id: 'show', type: 'Console' },
          { id: 'call2', type: 'Function', attributes: { Function: 'Hypot2' }, inputs: { a: 1, b: 2 } }, { id: 'show2', type: 'Console' },
          { id: 'fmt', type: 'Format', attributes: { 'Input Count': 2 }, inputs: { Format: '{0} and still {1}' } },
        ],
        links: [
          ...chain('boot', 'call', 'show', 'call2', 'show2'), ['call', 'sum', 'show', 'Input'],
          ['call2', 'sum', 'fmt', 'Input 0'], ['call', 'sum', 'fmt', 'Input 1'], ['fmt', 'Output', 'show2', 'Input'],
        ],
        scopes: [fn('Hypot2', [{ name: 'a', type: 'Int' }, { name: 'b', type: 'Int' }], [{ name: 'sum', type: 'Int' }], [
          { id: 'in', type: 'Function Input' }, log('inside', 'in the function'),
          { id: 'aa', type: 'Multiply' }, { id: 'bb', type: 'Multiply' }, { id: 'add', type: 'Add' }, { id: 'out', type: 'Function Output' },
        ], [
          L('in', P, 'inside', P), L('inside', P, 'out', P), L('in', 'a', 'aa', 'Input 0'), L('in', 'a', 'aa', 'Input 1'),
          L('in', 'b', 'bb', 'Input 0'), L('in', 'b', 'bb', 'Input 1'), L('aa', 'Output', 'add', 'Input 0'), L('bb', 'Output', 'add', 'Input 1'),
          L('add', 'Output', 'out', 'sum'),
        ])],
      }));
      h.tick(0);
      // The Function node keeps its own results: call's sum stays 25 after call2 returned 5.
      assert.deepEqual(h.console(), ['in the function', '25', 'in the function', '5 and still 25']);
      assert.deepEqual(h.errors(), []);
    });

    it('a Sequential inside a Function runs every branch; a Function Output reached twice: the last one sets the results', () => {
      const h = run(project({
        nodes: [boot(), { id: 'call', type: 'Function', attributes: { Function: 'Steps' } }, { id: 'show', type: 'Console' }],
        links: [['boot', P, 'call', P], ['call', P, 'show', P], ['call', 'label', 'show', 'Input']],
        scopes: [fn('Steps', [], [{ name: 'label', type: 'String' }], [
          { id: 'in', type: 'Function Input' }, { id: 'seq', type: 'Sequential', attributes: { 'Pulse Count': 3 } },
          log('s0', 'step 0'), { id: 'out1', type: 'Function Output', inputs: { label: 'first' } },
          log('s1', 'step 1'), { id: 'out2', type: 'Function Output', inputs: { label: 'second' } }, log('s2', 'step 2'),
        ], [
          L('in', P, 'seq', P), L('seq', 'Pulse 0', 's0', P), L('s0', P, 'out1', P), L('seq', 'Pulse 1', 's1', P), L('s1', P, 'out2', P),
          L('seq', 'Pulse 2', 's2', P),
        ])],
      }));
      h.tick(0);
      assert.deepEqual(h.console(), ['step 0', 'step 1', 'step 2', 'second']);
    });

    it('a Function Output in a loop body ends that run of the body only: the loop goes on, the last Output wins', () => {
      const h = run(project({
        nodes: [boot(), { id: 'call', type: 'Function', attributes: { Function: 'Last' }, inputs: { n: 3 } }, { id: 'show', type: 'Console' }],
        links: [['boot', P, 'call', P], ['call', P, 'show', P], ['call', 'last', 'show', 'Input']],
        scopes: [fn('Last', [{ name: 'n', type: 'Int' }], [{ name: 'last', type: 'Int' }], [
          { id: 'in', type: 'Function Input' }, { id: 'loop', type: 'For Loop', inputs: { First: 1 } }, { id: 'out', type: 'Function Output' },
          log('done', 'loop done'),
        ], [
          L('in', P, 'loop', P), L('in', 'n', 'loop', 'Last'), L('loop', 'Loop Body', 'out', P), L('loop', 'Index', 'out', 'last'),
          L('loop', 'Completed', 'done', P),
        ])],
      }));
      h.tick(0);
      assert.deepEqual(h.console(), ['loop done', '3']);
    });

    it('a call whose body reaches no Function Output gives default results, not those of an earlier call (regression)', () => {
      const h = run(project({
        nodes: [
          boot(), { id: 'yes', type: 'Function', attributes: { Function: 'Maybe' }, inputs: { give: true } }, { id: 'showYes', type: 'Console' },
          { id: 'no', type: 'Function', attributes: { Function: 'Maybe' }, inputs: { give: false } }, { id: 'showNo', type: 'Console' },
        ],
        links: [...chain('boot', 'yes', 'showYes', 'no', 'showNo'), ['yes', 'value', 'showYes', 'Input'], ['no', 'value', 'showNo', 'Input']],
        scopes: [fn('Maybe', [{ name: 'give', type: 'Bool' }], [{ name: 'value', type: 'Int' }], [
          { id: 'in', type: 'Function Input' }, { id: 'br', type: 'Branch' }, { id: 'out', type: 'Function Output', inputs: { value: 7 } },
        ], [L('in', P, 'br', P), L('in', 'give', 'br', 'Input'), L('br', 'OnTrue', 'out', P)])],
      }));
      h.tick(0);
      assert.deepEqual(h.console(), ['7', '0']);
    });

    it('functions call functions, and may be called from a Scene', () => {
      const h = run(project({
        nodes: [],
        scopes: [
          scene('Main', [{ id: 'l', type: 'On Scene Loaded' }, { id: 'call', type: 'Function', attributes: { Function: 'Outer' }, inputs: { x: 5 } }, { id: 'show', type: 'Console' }],
            [L('l', P, 'call', P), L('call', P, 'show', P), L('call', 'y', 'show', 'Input')]),
          fn('Outer', [{ name: 'x', type: 'Int' }], [{ name: 'y', type: 'Int' }], [
            { id: 'in', type: 'Function Input' }, { id: 'inner', type: 'Function', attributes: { Function: 'Double' } },
            { id: 'plus', type: 'Add', inputs: { 'Input 1': 1 } }, { id: 'out', type: 'Function Output' },
          ], [L('in', P, 'inner', P), L('in', 'x', 'inner', 'v'), L('inner', P, 'out', P), L('inner', 'w', 'plus', 'Input 0'), L('plus', 'Output', 'out', 'y')]),
          fn('Double', [{ name: 'v', type: 'Int' }], [{ name: 'w', type: 'Int' }], [
            { id: 'in', type: 'Function Input' }, { id: 'x2', type: 'Multiply', inputs: { 'Input 1': 2 } }, { id: 'out', type: 'Function Output' },
          ], [L('in', P, 'out', P), L('in', 'v', 'x2', 'Input 0'), L('x2', 'Output', 'out', 'w')]),
        ],
      }));
      h.tick(0);
      assert.deepEqual(h.console(), ['11']);
    });
  });

  describe('the inbound queue', () => {
    const listening = (withErrorListener: boolean) => project({
      settings: { limits: { queueCapacity: 3 }, webSocketConnections: [{ Name: 'Link', URL: 'ws://127.0.0.1:9' }] },
      nodes: [
        { id: 'rx', type: 'On WebSocket Receive', attributes: { Configuration: 'Link' } }, { id: 'show', type: 'Console' },
        ...(withErrorListener ? [{ id: 'err', type: 'On WebSocket Error', attributes: { Configuration: 'Link' } }, { id: 'showErr', type: 'Console', attributes: { Type: 'error' } },
          { id: 'fmt', type: 'Format', attributes: { 'Input Count': 2 }, inputs: { Format: '[{1}] {0}' } }] : []),
      ],
      links: [
        ['rx', P, 'show', P], ['rx', 'Message', 'show', 'Input'],
        ...(withErrorListener ? [['err', P, 'showErr', P], ['err', 'Message', 'fmt', 'Input 0'], ['err', 'Code', 'fmt', 'Input 1'], ['fmt', 'Output', 'showErr', 'Input']] as [string, string, string, string][] : []),
      ],
    });

    it('overflow keeps the first events, then reports the count of dropped ones as an error output', () => {
      const h = run(listening(false));
      const accepted = [1, 2, 3, 4, 5].map((i) => h.post({ kind: 'ws.message', conn: 0, data: `m${i}` }));
      assert.deepEqual(accepted, [true, true, true, false, false]);
      h.tick(0);
      assert.deepEqual(h.console(), ['m1', 'm2', 'm3']);
      assert.deepEqual(h.errors(), [{ kind: 'error', code: 'queue_overflow', message: 'Link: 2 events dropped: the inbound queue (capacity 3) was full' }]);
      h.post({ kind: 'ws.message', conn: 0, data: 'm6' });
      h.tick(16);
      assert.deepEqual(h.console(), ['m1', 'm2', 'm3', 'm6']);
      assert.equal(h.errors().length, 1, 'reported once');
    });

    it('the report also reaches the connection\'s On WebSocket Error listeners, with code queue_overflow', () => {
      const h = run(listening(true));
      for (let i = 1; i <= 4; i++) h.post({ kind: 'ws.message', conn: 0, data: `m${i}` });
      h.tick(0);
      assert.deepEqual(h.console(), ['m1', 'm2', 'm3', '[queue_overflow] 1 event dropped: the inbound queue (capacity 3) was full']);
      assert.equal(h.errors().length, 1);
    });
  });
});

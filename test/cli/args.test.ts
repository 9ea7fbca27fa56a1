// Argument parsing shared by `pulsewire` and a board's `./start`.

import { strict as assert } from 'node:assert';
import { parseCommandArgs } from '../../targets/shared/args.ts';

const parse = (args: string[]) => {
  const r = parseCommandArgs(args, OPTIONS);
  return { values: { ...r.values }, positionals: r.positionals };
};
const OPTIONS = { ticks: { type: 'string' }, out: { type: 'string', short: 'o' }, verbose: { type: 'boolean', short: 'v' } } as const;

describe('command-line arguments', () => {
  it('takes a negative number as the value of an option that has one', () => {
    assert.deepEqual(parse(['--ticks', '-1', 'p.json']).values, { ticks: '-1' });
    assert.deepEqual(parse(['--ticks', '-.5']).values, { ticks: '-.5' });
    assert.deepEqual(parse(['-o', '-2']).values, { out: '-2' });
    assert.deepEqual(parse(['p.json', '--ticks', '-Infinity']), { values: { ticks: '-Infinity' }, positionals: ['p.json'] });
  });

  it('leaves everything else to parseArgs, whose errors come as one line', () => {
    assert.deepEqual(parse(['-v', '--ticks=3', 'a']), { values: { verbose: true, ticks: '3' }, positionals: ['a'] });
    // A boolean option takes no value: "-1" after it is still an unknown option.
    assert.throws(() => parseCommandArgs(['-v', '-1'], OPTIONS), (e: Error) => /Unknown option '-1'/.test(e.message) && !e.message.includes('\n'));
    assert.throws(() => parseCommandArgs(['--bogus'], OPTIONS), /Unknown option '--bogus'$/);
    assert.throws(() => parseCommandArgs(['--ticks'], OPTIONS), /argument missing/);
  });
});

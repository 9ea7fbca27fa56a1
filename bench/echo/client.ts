// Echo benchmark client (a child process, pinned to its own core).
//
//   node --import tsx bench/echo/client.ts <ws|sio> <hand|pulsewire> <url> [target] [mode] [rateHz] [schedule.pws]
//
// hand:      what a user writes by hand with `ws` / `socket.io-client`: send
//            every frame straight back from the message handler. The limit.
// pulsewire: the echo graph (projects.ts) run through createRuntime() on
//            `target` in tick mode `mode`: from the .pws the parent compiled
//            (as a board loads it), or compiled here when none is given.
// Tells the parent `connected`-ish milestones (first tick) over IPC when
// it has a channel; the parent stops this process by its PID.

import { READY, SIO_BACK, SIO_OUT, type Proto } from './protocol.ts';

const [proto, impl, url, target = 'node', mode = 'on-demand', rate = '60', pws] = process.argv.slice(2) as [Proto, string, string, string?, string?, string?, string?];
const tell = (m: object) => process.send?.(m);

if (impl === 'hand' && proto === 'ws') {
  const { default: WebSocket } = await import('ws');
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.on('open', () => ws.send(READY));
  ws.on('message', (data, isBinary) => ws.send(isBinary ? data : data.toString()));
  ws.on('error', (e) => process.stderr.write(`hand ws client: ${e.message}\n`));
  ws.on('close', () => process.exit(0));
} else if (impl === 'hand' && proto === 'sio') {
  const { io } = await import('socket.io-client');
  const socket = io(url, { transports: ['websocket'], reconnection: false });
  socket.on('connect', () => void socket.emit(READY));
  socket.on(SIO_OUT, (text: string) => void socket.emit(SIO_BACK, text));
  socket.on('connect_error', (e) => process.stderr.write(`hand sio client: ${e.message}\n`));
  socket.on('disconnect', () => process.exit(0));
} else if (impl === 'pulsewire') {
  const { createRuntime, loadRuntime } = await import('../../targets/runtime.ts');
  const { overrideConnections } = await import('../../targets/shared/load.ts');
  let loaded;
  if (pws) {
    const { readFileSync } = await import('node:fs');
    const { decode } = await import('../../runtime/schedule/index.ts');
    loaded = decode(readFileSync(pws));
  } else {
    const { compile } = await import('../../runtime/compiler/index.ts');
    const { echoProject } = await import('./projects.ts');
    const r = compile(echoProject(proto));
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
    loaded = r.schedule;
  }
  const schedule = overrideConnections(loaded, { Link: url });
  let ticks = 0;
  await loadRuntime(schedule, { target: target as 'node' });
  const { runner } = createRuntime(schedule, {
    target: target as 'node',
    mode: mode as 'on-demand',
    tickRateHz: Number(rate),
    log: { warn: (t) => process.stderr.write(`warning: ${t}\n`) },
    onOutput: (o) => {
      if (o.kind === 'error') process.stderr.write(`pulsewire: ${o.code}: ${o.message}\n`);
    },
    onTick: () => {
      if (ticks++ === 0) tell({ type: 'first-tick' });
    },
  });
  process.once('SIGTERM', () => void runner.stop().then(() => process.exit(0)));
  await runner.start();
  process.exit(0);
} else {
  throw new Error('usage: client.ts <ws|sio> <hand|pulsewire> <url> [target] [mode] [rateHz] [schedule.pws]');
}
process.once('SIGTERM', () => process.exit(0));

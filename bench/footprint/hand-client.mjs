// The hand-written client of the footprint and start-up measurements: what a
// user writes with `ws` (and, for the demo's job, `socket.io-client`) by
// hand, plain JavaScript under plain node, nothing else loaded.
//
//   node bench/footprint/hand-client.mjs echo WS_URL
//   node bench/footprint/hand-client.mjs dashboard WS_URL SIO_URL
//
// echo: connect, send every message back. dashboard: the telemetry demo's
// job (hello, keep speed and gear, warn over the limit, acknowledge alerts).
import WebSocket from 'ws';

const [job, wsUrl, sioUrl] = process.argv.slice(2);
const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
ws.on('error', (e) => process.stderr.write(`hand client: ${e.message}\n`));
if (job === 'echo') {
  ws.on('message', (data, isBinary) => ws.send(isBinary ? data : data.toString()));
} else {
  const state = { speed: 0, gear: 0, connected: false, alert: '' };
  ws.on('open', () => {
    state.connected = true;
    ws.send(JSON.stringify({ type: 'hello', client: 'dashboard' }));
  });
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString());
    if (m.type !== 'telemetry') return;
    if (m.speed > 130 && state.speed <= 130) process.stdout.write('[warning] speed over the limit\n');
    state.speed = m.speed;
    state.gear = m.gear;
  });
  const { io } = await import('socket.io-client');
  const socket = io(`${sioUrl}/vehicle`, { transports: ['websocket'] });
  socket.on('alert', (a) => {
    state.alert = a.text;
    socket.emit('ack', String(a.id));
  });
}
process.once('SIGTERM', () => process.exit(0));

// bindings/replay: a recorded trace fed back through a tick engine, no network.
export { replay, describe, type ReplayOptions, type ReplayEngine, type ReplayResult, type Divergence } from './replay.ts';

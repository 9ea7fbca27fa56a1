// Trace files on disk: a writer that streams lines out with a small bounded
// buffer (recording an hour at 60 Hz never holds more than BUFFER_BYTES),
// and a reader that yields lines from fixed-size chunks (replaying a large
// trace never loads it whole).

import { closeSync, openSync, readSync, writeSync } from 'node:fs';

/** Bytes held before a write to the file; also written at least every FLUSH_MS. */
const BUFFER_BYTES = 64 * 1024;
const FLUSH_MS = 250;
const CHUNK_BYTES = 64 * 1024;

export interface TraceWriter {
  write(line: string): void;
  /** Writes what is buffered and closes the file; idempotent. */
  close(): void;
}

/** Creates (or truncates) `path`; throws the fs error if it cannot. */
export function openTraceWriter(path: string): TraceWriter {
  const fd = openSync(path, 'w');
  let buf: string[] = [];
  let size = 0;
  let last = performance.now();
  let closed = false;
  const flush = () => {
    if (size === 0) return;
    writeSync(fd, buf.join(''));
    buf = [];
    size = 0;
    last = performance.now();
  };
  return {
    write(line) {
      if (closed) return;
      buf.push(line, '\n');
      size += line.length + 1;
      // A slow run still reaches the disk every FLUSH_MS, so a killed process loses little.
      if (size >= BUFFER_BYTES || performance.now() - last >= FLUSH_MS) flush();
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        flush();
      } finally {
        closeSync(fd);
      }
    },
  };
}

/** The lines of a file, without their newlines, read chunk by chunk. Throws the fs error if it cannot read. */
export function* readTraceLines(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.alloc(CHUNK_BYTES);
    const decoder = new TextDecoder('utf-8');
    let rest = '';
    for (;;) {
      const n = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      rest += n > 0 ? decoder.decode(chunk.subarray(0, n), { stream: true }) : decoder.decode();
      let nl: number;
      let from = 0;
      while ((nl = rest.indexOf('\n', from)) >= 0) {
        yield rest.slice(from, nl).replace(/\r$/, '');
        from = nl + 1;
      }
      rest = rest.slice(from);
      if (n === 0) break;
    }
    if (rest.length > 0) yield rest;
  } finally {
    closeSync(fd);
  }
}

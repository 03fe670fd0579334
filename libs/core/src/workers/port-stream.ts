import { Readable, Writable } from 'node:stream';
import type { MessagePort } from 'node:worker_threads';

/**
 * Streams between a worker thread and the main thread over a MessagePort, with backpressure: the
 * writing side has at most {@link WINDOW} messages unacknowledged, and the reading side acknowledges a
 * message only once its consumer has room for more. A 5,000-page PDF rendered in a worker therefore
 * holds a few chunks in memory at a time, however slow the client that downloads it.
 *
 * Messages: `{ t: 'd', v }` data, `{ t: 'e' }` end, `{ t: 'x', message }` the writer failed,
 * `{ t: 'a' }` one message acknowledged (reader → writer).
 */
type PortMessage = { t: 'd'; v: unknown } | { t: 'e' } | { t: 'x'; message: string; code?: string } | { t: 'a' };

/** Messages a writer may send before the reader acknowledges one. */
const WINDOW = 4;

export interface PortStreamOptions {
  /** Objects (structured-cloned) instead of bytes. */
  objectMode?: boolean;
  /** The reader's error when the port closes before the end (default {@link PortClosedError}). */
  closed?: () => Error;
}

/** The port closed (its thread ended) before the stream ended. */
export class PortClosedError extends Error {
  constructor() {
    super('worker stream closed before it ended');
    this.name = 'PortClosedError';
  }
}

/** An error that came through the port from the other thread's writer. */
export class PortStreamError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'PortStreamError';
  }
}

/** Bytes are sent in messages of about this size: pdfkit writes many small pieces, one message each would cost more. */
const CHUNK = 64 * 1024;

/**
 * The writing end: what is written goes through `port` to the {@link portReadable} on the other side.
 * Bytes are gathered into messages of about 64 KB, each moved (transferred), not copied.
 */
export function portWritable(port: MessagePort, options: PortStreamOptions = {}): Writable {
  let inFlight = 0;
  let waiting: (() => void) | null = null;
  let closed = false;
  let ended = false;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const onMessage = (m: PortMessage) => {
    if (m.t !== 'a') return;
    inFlight--;
    const next = waiting;
    waiting = null;
    next?.();
  };
  port.on('message', onMessage);
  port.once('close', () => {
    closed = true;
    const next = waiting;
    waiting = null;
    next?.();
  });
  /** Posts one message; `done` once the window has room again. */
  const post = (v: unknown, done: (err?: Error | null) => void) => {
    if (closed) return done(new PortClosedError());
    if (v instanceof Uint8Array) port.postMessage({ t: 'd', v } satisfies PortMessage, [v.buffer as ArrayBuffer]);
    else port.postMessage({ t: 'd', v } satisfies PortMessage);
    inFlight++;
    if (inFlight < WINDOW) done();
    else waiting = () => done(closed ? new PortClosedError() : undefined);
  };
  /** The gathered bytes in a buffer of their own (a pooled Buffer's memory cannot be transferred). */
  const gathered = (): Uint8Array => {
    const out = new Uint8Array(pendingBytes);
    let at = 0;
    for (const b of pending) {
      out.set(b, at);
      at += b.length;
    }
    pending = [];
    pendingBytes = 0;
    return out;
  };
  const stream = new Writable({
    objectMode: options.objectMode,
    highWaterMark: options.objectMode ? 1 : CHUNK,
    write(chunk: unknown, _encoding, done) {
      if (options.objectMode) return post(chunk, done);
      const b = chunk as Buffer;
      pending.push(b);
      pendingBytes += b.length;
      if (pendingBytes >= CHUNK) post(gathered(), done);
      else done();
    },
    final(done) {
      const end = (err?: Error | null) => {
        if (!err && !closed) port.postMessage({ t: 'e' } satisfies PortMessage);
        ended = !err;
        port.off('message', onMessage);
        done(err);
      };
      if (pendingBytes > 0) post(gathered(), end);
      else end();
    },
    destroy(err, done) {
      port.off('message', onMessage);
      // Destroyed before its end (an error, or the job given up): the reader must not wait for more.
      if (!ended && !closed) {
        const code = (err as { code?: unknown } | null)?.code;
        port.postMessage({
          t: 'x',
          message: err?.message ?? 'stream aborted',
          code: typeof code === 'string' ? code : undefined,
        } satisfies PortMessage);
        port.close();
      }
      done(err);
    },
  });
  // Its error goes to the reader (above) and to whoever writes (their callbacks, pipeline, once('drain')):
  // never an 'error' nobody hears, which would end the worker thread.
  stream.on('error', () => undefined);
  return stream;
}

/**
 * The reading end of a {@link portWritable}. Bytes arrive as Buffers. It errors with
 * {@link PortStreamError} when the writer failed and with {@link PortClosedError} when the port closed
 * (e.g. the worker thread died) before the end.
 */
export function portReadable(port: MessagePort, options: PortStreamOptions = {}): Readable {
  let owed = 0;
  let ended = false;
  const ack = () => {
    while (owed > 0) {
      owed--;
      port.postMessage({ t: 'a' } satisfies PortMessage);
    }
  };
  const stream = new Readable({
    objectMode: options.objectMode,
    highWaterMark: options.objectMode ? 2 : 64 * 1024,
    read() {
      ack();
    },
    destroy(err, done) {
      port.off('message', onMessage);
      port.close();
      done(err);
    },
  });
  const onMessage = (m: PortMessage) => {
    if (m.t === 'd') {
      const v = options.objectMode ? m.v : toBuffer(m.v);
      owed++;
      if (stream.push(v)) ack();
    } else if (m.t === 'e') {
      ended = true;
      stream.push(null);
      port.off('message', onMessage);
      port.close();
    } else if (m.t === 'x') {
      ended = true;
      stream.destroy(new PortStreamError(m.message, m.code));
    }
  };
  port.on('message', onMessage);
  port.once('close', () => {
    if (!ended && !stream.destroyed) stream.destroy(options.closed?.() ?? new PortClosedError());
  });
  return stream;
}

function toBuffer(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (typeof v === 'string') return Buffer.from(v);
  throw new TypeError('a byte stream received a value that is not bytes');
}

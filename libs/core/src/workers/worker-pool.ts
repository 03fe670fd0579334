import { availableParallelism } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { MessageChannel, MessagePort } from 'node:worker_threads';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { Piscina } from 'piscina';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../errors/domain-error';
import { portReadable, portWritable } from './port-stream';

/**
 * A function one of the libs runs in a worker thread: the module that exports it and its name. The
 * module is given as a file next to the caller, so it is the .ts source under jest and
 * `node -r @swc-node/register`, and the compiled .js under `nest build` (see {@link workerTask}).
 * The function takes structured-clonable arguments and the task's ports: `(args, ports) => result`.
 */
export interface WorkerTask {
  file: string;
  fn: string;
}

/**
 * `name` (a module beside `callerFile`, without extension) with the caller's own extension: pass
 * `__filename`. The source tree and the build output have the same layout, so the .ts caller finds the
 * .ts task and the compiled .js caller the compiled .js task.
 */
export function workerTask(callerFile: string, name: string, fn: string): WorkerTask {
  const ext = extname(callerFile) === '.ts' ? '.ts' : '.js';
  return { file: join(resolve(callerFile, '..'), name + ext), fn };
}

/** The plain-JS entry every worker loads: libs/core/assets/workers/bootstrap.js, in the source tree and in dist. */
export function workerBootstrapFile(): string {
  return resolve(__dirname, '..', '..', 'assets', 'workers', 'bootstrap.js');
}

type TaskReply<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      error: { name: string; message: string; status?: number; code?: string; details?: Record<string, unknown> };
    };

/** The worker thread doing the job ended (crashed, ran out of memory) or could not take it. */
export const workerFailed = () =>
  new DomainError(
    503,
    'WORKER_FAILED',
    '后台处理文件的工作线程意外中止，本次未完成，请稍后重试；如反复出现请联系管理员',
  );

/** The pool was closed (the app is shutting down). */
const poolClosed = () => new DomainError(503, 'SHUTTING_DOWN', '服务正在停止，请稍后重试');

/** What a streamed job gives back: the worker's output as a stream, and the task's result once it ends. */
export interface StreamedJob<T> {
  stream: Readable;
  result: Promise<T>;
}

/**
 * Heavy work off the event loop (spec §16: PDF batches, archives and import parsing never slow the
 * light requests that share the process): one pool of worker threads per process (piscina), sized by
 * WORKER_THREADS (default: one fewer than the cores, at least one). Data is gathered on the main thread
 * (the database stays there); the worker renders or parses and streams the result back in chunks.
 *
 * Errors: a DomainError thrown in the worker is rethrown here as the same status, code and message;
 * a worker that dies (crash, out of memory) fails its jobs with 503 WORKER_FAILED in Chinese, and the
 * pool starts a fresh thread for the next job.
 */
@Injectable()
export class WorkerPool implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('WorkerPool');
  private pool?: Piscina;
  private closed = false;
  readonly threads: number;

  constructor(@Optional() private readonly config?: AppConfig) {
    this.threads = config?.workerThreads ?? defaultWorkerThreads();
  }

  /** Outside tests the threads start with the app, so the first PDF does not wait for one to boot. */
  onApplicationBootstrap(): void {
    if (this.config && this.config.nodeEnv !== 'test') this.piscina();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = undefined;
    await pool?.destroy();
  }

  /** Runs `task` in a worker and returns its result. `ports` are handed to the task (transferred). */
  async run<T>(task: WorkerTask, args: unknown, ports: Record<string, MessagePort> = {}): Promise<T> {
    if (this.closed) throw poolClosed();
    let reply: TaskReply<T>;
    try {
      reply = await this.piscina().run(
        { file: task.file, fn: task.fn, args, ports },
        { transferList: Object.values(ports) as never },
      );
    } catch (err) {
      // Piscina rejects only when the thread itself failed: it exited, or hit its memory limit.
      this.logger.error({ err: { message: (err as Error).message }, task: task.fn }, 'Worker thread failed');
      throw workerFailed();
    }
    if (reply.ok) return reply.value;
    const e = reply.error;
    if (typeof e.status === 'number' && typeof e.code === 'string')
      throw Object.assign(new DomainError(e.status, e.code, e.message, e.details), { name: e.name });
    throw Object.assign(new Error(e.message), { name: e.name });
  }

  /**
   * Runs `task` with a byte stream (or, `objectMode`, a stream of objects) from the worker, which gets
   * the writing end as `ports.out` (use {@link portWritable}). The stream fails with 503 WORKER_FAILED
   * when the thread dies, and with the task's own error when it throws.
   */
  stream<T>(
    task: WorkerTask,
    args: unknown,
    opts: { objectMode?: boolean; ports?: Record<string, MessagePort> } = {},
  ): StreamedJob<T> {
    const channel = new MessageChannel();
    // A stream cut by the thread's end fails with the pool's error, not a bare "port closed".
    const stream = portReadable(channel.port1, { objectMode: opts.objectMode, closed: workerFailed });
    const result = this.run<T>(task, args, { ...opts.ports, out: channel.port2 });
    result.catch((err: unknown) => {
      if (!stream.destroyed && !stream.readableEnded) stream.destroy(err as Error);
    });
    return { stream, result };
  }

  /**
   * A writable whose bytes reach the worker as `ports.in` (read it with {@link portReadable}), e.g. an
   * upload the worker parses. Returns the port to hand to {@link run} or {@link stream}.
   */
  static input(): { writable: Writable; port: MessagePort } {
    const channel = new MessageChannel();
    return { writable: portWritable(channel.port1), port: channel.port2 };
  }

  private piscina(): Piscina {
    if (this.closed) throw poolClosed();
    if (this.pool) return this.pool;
    this.pool = new Piscina({
      filename: workerBootstrapFile(),
      minThreads: this.threads,
      maxThreads: this.threads,
      // A job waits for the next page's acknowledgement between pages: other jobs interleave there.
      concurrentTasksPerWorker: 4,
      // Tasks stream over ports and await between chunks; the Atomics wait loop would stall them.
      atomics: 'disabled',
      idleTimeout: Number.MAX_SAFE_INTEGER,
      // A runaway job ends its own thread (and answers 503), never the process. A young generation
      // smaller than V8's default (up to 48 MB) keeps a long parse's garbage from swelling the RSS.
      resourceLimits: { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 16 },
      // A little below the event loop's priority (Linux nice, through piscina's optional @napi-rs/nice):
      // when the cores are busy the check-ins get them first. Not lower: with 10, on a 2-core machine
      // shared with other processes, the archives of the tests waited past their time limit.
      niceIncrement: 5,
    });
    // A thread's uncaught error fails its jobs (run() answers WORKER_FAILED); the pool must not rethrow it here.
    this.pool.on('error', (err: Error) => this.logger.error({ err: { message: err?.message } }, 'Worker thread error'));
    return this.pool;
  }
}

/** WORKER_THREADS' default: one fewer than the cores (the event loop keeps one), at least one. */
export function defaultWorkerThreads(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
}

import { join } from 'node:path';
import { DomainError } from '../errors/domain-error';
import { AppConfig } from '../config/app-config';
import { defaultWorkerThreads, WorkerPool, workerBootstrapFile, workerTask } from './worker-pool';

// Real worker threads, loading the fixtures of test/support: the .ts one through the bootstrap's
// TypeScript loader (as under jest, `npm run bench`), the .js one as compiled code (as after `nest build`).
const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'support');
const ts = (fn: string) => ({ file: join(FIXTURES, 'worker-fixtures.task.ts'), fn });
const js = (fn: string) => ({ file: join(FIXTURES, 'worker-fixtures.task.js'), fn });

jest.setTimeout(60_000);

describe('workerTask', () => {
  it('names the task beside the caller with the caller’s own extension: source in development, build output in production', () => {
    expect(workerTask('/repo/libs/x/src/a/b.service.ts', 'b.task', 'run')).toEqual({
      file: '/repo/libs/x/src/a/b.task.ts',
      fn: 'run',
    });
    expect(workerTask('/app/dist/apps/api/libs/x/src/a/b.service.js', 'b.task', 'run')).toEqual({
      file: '/app/dist/apps/api/libs/x/src/a/b.task.js',
      fn: 'run',
    });
  });

  it('finds the bootstrap in libs/core/assets, which nest build copies to the same place under dist', () => {
    expect(workerBootstrapFile()).toBe(join(__dirname, '..', '..', 'assets', 'workers', 'bootstrap.js'));
  });

  it('defaults to one thread fewer than the cores, at least one', () => {
    expect(defaultWorkerThreads(1)).toBe(1);
    expect(defaultWorkerThreads(2)).toBe(1);
    expect(defaultWorkerThreads(8)).toBe(7);
  });
});

describe('WorkerPool', () => {
  let pool: WorkerPool;
  beforeEach(() => {
    pool = new WorkerPool({ workerThreads: 1, nodeEnv: 'test' } as AppConfig);
  });
  afterEach(() => pool.onModuleDestroy());

  it('runs a compiled .js task without loading any TypeScript', async () => {
    const r = await pool.run<{ args: unknown; ts: boolean }>(js('echo'), { n: 1, when: new Date(0) });
    expect(r).toMatchObject({ args: { n: 1, when: new Date(0) }, ts: false });
  });

  it('runs a .ts task from source, registering the TypeScript loader in the worker', async () => {
    const r = await pool.run<{ args: unknown; ts: boolean }>(ts('echo'), ['王晓梅']);
    expect(r).toMatchObject({ args: ['王晓梅'], ts: true });
  });

  it('rethrows a rule broken in the worker as the same DomainError (status, code, Chinese message, details)', async () => {
    const err = await pool.run(ts('domainError'), {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({
      status: 400,
      code: 'CERTIFICATE_DATA_INVALID',
      message: '证书数据有误（holderName）：不能为空',
      details: { field: 'holderName' },
    });
  });

  it('answers a worker that dies with 503 WORKER_FAILED in Chinese, and serves the next job on a fresh thread', async () => {
    const err = await pool.run(ts('crash'), {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ status: 503, code: 'WORKER_FAILED' });
    expect((err as Error).message).toMatch(/工作线程意外中止/);
    await expect(pool.run(js('echo'), 1)).resolves.toMatchObject({ args: 1 });
  });

  it('streams bytes back in order with backpressure (a slow reader holds the worker, not memory)', async () => {
    const { stream, result } = pool.stream<number>(ts('bytes'), { count: 200, size: 10_000 });
    let at = 0;
    let ok = true;
    let buffered = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (const b of chunk) ok &&= b === at++ % 251;
      buffered = Math.max(buffered, stream.readableLength);
      await new Promise((r) => setImmediate(r));
    }
    expect(ok).toBe(true);
    expect(at).toBe(2_000_000);
    await expect(result).resolves.toBe(2_000_000);
    expect(buffered).toBeLessThan(512 * 1024);
  });

  it('fails the stream with 503 WORKER_FAILED when the worker dies in the middle', async () => {
    const { stream, result } = pool.stream(ts('crashMidStream'), {});
    const read = (async () => {
      for await (const _ of stream);
    })();
    await expect(read).rejects.toMatchObject({ status: 503, code: 'WORKER_FAILED' });
    await expect(result).rejects.toMatchObject({ status: 503, code: 'WORKER_FAILED' });
  });
});

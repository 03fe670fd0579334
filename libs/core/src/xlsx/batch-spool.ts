import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';

/**
 * Batches of rows kept in a temporary file (one JSON line per batch) instead of memory, to be read
 * again in order, as often as needed: an import checks every row against the database before it
 * writes any (all-or-nothing), and holding 100,000 parsed rows would cost hundreds of MB.
 * Values go through JSON: strings, numbers, booleans and null (a Date comes back as its ISO text).
 */
export class BatchSpool<T> {
  private readonly dir = mkdtempSync(join(tmpdir(), 'shipei-spool-'));
  private readonly file = join(this.dir, 'batches.ndjson');
  private out: WriteStream | null = createWriteStream(this.file);
  private count = 0;

  /** Batches appended so far. */
  get batches(): number {
    return this.count;
  }

  async append(batch: readonly T[]): Promise<void> {
    if (!this.out) throw new Error('spool already read');
    this.count++;
    if (!this.out.write(JSON.stringify(batch) + '\n')) await once(this.out, 'drain');
  }

  /** The batches in the order they were appended; may be called several times. */
  async *read(): AsyncGenerator<T[]> {
    await this.seal();
    const lines = createInterface({ input: createReadStream(this.file), crlfDelay: Infinity });
    try {
      for await (const line of lines) if (line) yield JSON.parse(line) as T[];
    } finally {
      lines.close();
    }
  }

  /** Deletes the file. */
  async dispose(): Promise<void> {
    try {
      await this.seal();
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private async seal(): Promise<void> {
    const out = this.out;
    if (!out) return;
    this.out = null;
    out.end();
    await finished(out);
  }
}

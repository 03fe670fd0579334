import { Transform, TransformCallback } from 'node:stream';
import { BadInputError } from '../errors/domain-error';

/**
 * What one .xlsx import may cost once unzipped. An honest workbook of 100k teachers inflates to a few
 * tens of MB at 5–20× compression; a zip bomb (a 3.8 MB file whose shared strings inflate to 1.5 GB,
 * or one 400 MB string in a 410 KB file) is stopped within the first few MB of output.
 */
export const UNZIP_LIMITS = {
  /** Inflated bytes of one part (a worksheet, the shared strings, styles…). */
  partBytes: 96 * 1024 * 1024,
  /** The shared strings are kept in memory for the whole walk: their own, lower limit. */
  sharedStringsBytes: 24 * 1024 * 1024,
  /** Inflated bytes of all parts together. */
  totalBytes: 160 * 1024 * 1024,
  /** Inflated ÷ uploaded bytes, checked once the output passes {@link UNZIP_LIMITS.ratioFloorBytes}. */
  ratio: 100,
  ratioFloorBytes: 8 * 1024 * 1024,
  /** Excel holds at most 32,767 characters in a cell; text or markup without a tag for this long is no sheet. */
  runBytes: 256 * 1024,
  sharedStrings: 500_000,
};

export class UnzipBudget {
  /** Bytes of the upload read so far (compressed). */
  compressed = 0;
  inflated = 0;
}

export const tooBig = (detail: string) =>
  new BadInputError(
    'IMPORT_TOO_LARGE',
    `文件解压后过大或压缩比异常（${detail}），已拒绝导入；请检查文件是否为正常的 Excel 表格`,
  );

/**
 * Counts the bytes coming out of the unzip for one part and for the whole file, and stops the walk
 * (with a Chinese 400) at a limit, at an extreme compression ratio, or at a run of text without a
 * tag longer than any cell can hold. `check` adds a test of the caller's own (the shared-string count).
 */
export class InflateGuard extends Transform {
  private part = 0;
  private run = 0;

  constructor(
    private readonly budget: UnzipBudget,
    private readonly partLimit: number,
    private readonly check: () => void = () => undefined,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.part += chunk.length;
      this.budget.inflated += chunk.length;
      const b = this.budget;
      if (this.part > this.partLimit) throw tooBig(`单个部件超过 ${this.partLimit >> 20} MB`);
      if (b.inflated > UNZIP_LIMITS.totalBytes) throw tooBig(`合计超过 ${UNZIP_LIMITS.totalBytes >> 20} MB`);
      if (b.inflated > UNZIP_LIMITS.ratioFloorBytes && b.inflated > UNZIP_LIMITS.ratio * Math.max(1, b.compressed))
        throw tooBig(`压缩比超过 ${UNZIP_LIMITS.ratio} 倍`);
      const last = chunk.lastIndexOf(0x3c); // '<'
      if (last < 0) this.run += chunk.length;
      else {
        this.run += chunk.indexOf(0x3c);
        if (this.run <= UNZIP_LIMITS.runBytes) this.run = chunk.length - last - 1;
      }
      if (this.run > UNZIP_LIMITS.runBytes) throw tooBig('单元格文字超长');
      this.check();
      done(null, chunk);
    } catch (e) {
      done(e as Error);
    }
  }
}

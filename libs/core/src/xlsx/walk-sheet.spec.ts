import { PassThrough, Readable } from 'node:stream';
import * as ExcelJS from 'exceljs';
import { BadInputError } from '../errors/domain-error';
import { headerKey, ParsedRow, readCell, SheetCell, SheetLayout, walkSheet } from './walk-sheet';

type Key = 'name' | 'school';
const LAYOUT: SheetLayout<Key> = {
  columns: [
    { key: 'name', label: '姓名', aliases: ['教师姓名'], required: true },
    { key: 'school', label: '学校', required: true },
  ],
  isHeader: (found) => found.has('name'),
  headerRows: 5,
  maxRows: 100_000,
  tooMany: '行数过多',
};
const asText = (_row: number, cells: Partial<Record<Key, SheetCell>>): ParsedRow<string[]> => ({
  row: [cells.name, cells.school].map((c) => (c?.kind === 'text' ? c.text : '')),
  errors: [],
});

/** An .xlsx written with exceljs's streaming writer (as offices' big sheets and the tests' fixtures are). */
async function sheet(rows: unknown[][], opts: { sharedStrings: boolean; sheets?: number }): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: opts.sharedStrings,
    useStyles: true,
  });
  for (let s = 0; s < (opts.sheets ?? 1); s++) {
    const ws = wb.addWorksheet(`名单${s + 1}`);
    rows.forEach((r, i) => {
      ws.getRow(i + 1).values = r as ExcelJS.CellValue[];
      ws.getRow(i + 1).commit();
    });
    ws.commit();
  }
  await wb.commit();
  return Buffer.concat(chunks);
}

/** A name per row made of 3-byte UTF-8 characters, so chunk boundaries fall inside characters. */
const names = Array.from(
  { length: 6000 },
  (_, i) =>
    `${'王李张刘陈杨赵黄周吴'[i % 10]}${'秀英桂志强建华海燕文静明辉'[(i * 7) % 13]}${'国庆丽娟晓红'[(i * 5) % 6]}第${i}号`,
);

describe('walkSheet', () => {
  it.each([
    ['inline strings (the sheet XML holds the text)', false],
    ['shared strings (sharedStrings.xml holds the text)', true],
  ])('keeps every Chinese character whole across chunk boundaries: %s', async (_, sharedStrings) => {
    const content = await sheet([['姓名', '学校'], ...names.map((n, i) => [n, `沂蒙山区第${i % 20}实验小学`])], {
      sharedStrings,
    });
    const { rows } = await walkSheet(Readable.from([content]), LAYOUT, asText);
    expect(rows.filter((r) => r.join('').includes('\ufffd'))).toEqual([]);
    expect(rows.map((r) => r[0])).toEqual(names);
    expect(rows[4311][1]).toBe('沂蒙山区第11实验小学');
  });

  it('finds the header below title rows, skips blank rows and numbers rows as Excel does', async () => {
    const content = await sheet(
      [
        ['2019年教师名单'],
        ['填报单位：兰山区'],
        ['序号', ' 姓名 *', '学校（必填）'],
        [1, '李梅', '一小'],
        [],
        [null, null, null],
        [3, '王芳', { richText: [{ text: '二' }, { text: '小' }] }],
      ],
      { sharedStrings: true },
    );
    const seen: number[] = [];
    const walk = await walkSheet(
      Readable.from([content]),
      {
        ...LAYOUT,
        columns: [
          { key: 'name', label: '姓名', required: true },
          { key: 'school', label: '学校' },
        ],
      },
      (row, cells) => {
        seen.push(row);
        return asText(row, cells);
      },
    );
    expect(walk.header).toEqual({ row: 3, keys: new Set(['name', 'school']) });
    expect(seen).toEqual([4, 7]);
    expect(walk.rows).toEqual([
      ['李梅', '一小'],
      ['王芳', '二小'],
    ]);
  });

  it('collects row errors; refuses missing required columns, too many rows, a second header sheet and non-xlsx bytes', async () => {
    const bad = await walkSheet(
      Readable.from([
        await sheet(
          [
            ['教师姓名', '学校'],
            ['李梅', '一小'],
            ['王芳', ''],
          ],
          { sharedStrings: false },
        ),
      ]),
      LAYOUT,
      (row, cells) =>
        cells.school?.kind === 'text'
          ? asText(row, cells)
          : { errors: [{ row, column: '学校', message: '学校不能为空' }] },
    );
    expect(bad.rows).toEqual([['李梅', '一小']]);
    expect(bad.errors).toEqual([{ row: 3, column: '学校', message: '学校不能为空' }]);

    const refusal = (content: Buffer, layout = LAYOUT) =>
      walkSheet(Readable.from([content]), layout, asText).then(
        () => null,
        (e: BadInputError) => [e.code, e.message, e.details?.errors],
      );
    expect(await refusal(await sheet([['姓名'], ['李梅']], { sharedStrings: false }))).toEqual([
      'IMPORT_INVALID',
      '表头缺少必填列：学校',
      [{ row: 1, column: '学校', message: '缺少「学校」列' }],
    ]);
    expect(
      await refusal(
        await sheet(
          [
            ['姓名', '学校'],
            ['李梅', '一小'],
            ['王芳', '二小'],
          ],
          { sharedStrings: false },
        ),
        { ...LAYOUT, maxRows: 1 },
      ),
    ).toEqual(['IMPORT_INVALID', '行数过多', []]);
    const twoSheets = await sheet(
      [
        ['姓名', '学校'],
        ['李梅', '一小'],
      ],
      { sharedStrings: false, sheets: 2 },
    );
    expect(await refusal(twoSheets, { ...LAYOUT, otherSheet: '多个工作表' })).toEqual([
      'IMPORT_INVALID',
      '多个工作表',
      [],
    ]);
    expect((await walkSheet(Readable.from([twoSheets]), LAYOUT, asText)).rows).toEqual([['李梅', '一小']]);
    expect(await refusal(Buffer.from('姓名,学校\n李梅,一小\n'))).toEqual([
      'IMPORT_UNREADABLE',
      expect.stringContaining('.xlsx'),
      undefined,
    ]);
  });

  it('hands the rows to a sink as they are read, waiting for it, and keeps none', async () => {
    const content = await sheet([['姓名', '学校'], ...names.slice(0, 3000).map((n) => [n, '一小'])], {
      sharedStrings: true,
    });
    const got: string[] = [];
    let busy = false;
    let overlapped = false;
    const walk = await walkSheet(Readable.from([content]), LAYOUT, asText, async (parsed) => {
      overlapped ||= busy;
      busy = true;
      await new Promise((resolve) => setImmediate(resolve));
      got.push(parsed.row![0]);
      busy = false;
    });
    expect(got).toEqual(names.slice(0, 3000));
    expect(overlapped).toBe(false);
    expect(walk.rows).toEqual([]);
    expect(walk.accepted).toBe(3000);
  });

  it('reads the upload to its end even when it refuses it', async () => {
    const content = await sheet([['姓名', '学校'], ...names.slice(0, 2000).map((n) => [n, '一小'])], {
      sharedStrings: false,
    });
    const source = Readable.from([content.subarray(0, 5000), content.subarray(5000)]);
    await expect(walkSheet(source, { ...LAYOUT, maxRows: 1 }, asText)).rejects.toMatchObject({
      code: 'IMPORT_INVALID',
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.readableEnded).toBe(true);
  });
});

describe('sheet cells and headers', () => {
  it('reads rich text, formula results and hyperlinks as their text', () => {
    expect(readCell({ richText: [{ text: '李' }, { text: '梅' }] })).toEqual({ kind: 'text', text: '李梅' });
    expect(readCell({ formula: 'A1', result: '一小' })).toEqual({ kind: 'text', text: '一小' });
    expect(readCell({ text: '13912345678', hyperlink: 'tel:13912345678' })).toEqual({
      kind: 'text',
      text: '13912345678',
    });
    expect(readCell({ error: '#N/A' })).toEqual({ kind: 'error' });
    expect(readCell(new Date(Number.NaN))).toEqual({ kind: 'error' });
    expect(readCell('  \u3000 ')).toEqual({ kind: 'blank' });
  });

  it('matches headers without spaces or required markers', () => {
    expect(headerKey(' 身份证号 * ')).toBe('身份证号');
    expect(headerKey('姓名（必填）')).toBe('姓名');
    expect(headerKey('证书编号(选填)')).toBe('证书编号');
  });
});

describe('walkSheet concurrency', () => {
  it('runs two imports at a time and refuses a third at once (503 in Chinese)', async () => {
    const slow = [new PassThrough(), new PassThrough()];
    const running = slow.map((s) => walkSheet(s, LAYOUT, asText).catch((e: unknown) => e));
    const third = await walkSheet(Readable.from([Buffer.from('PK')]), LAYOUT, asText).catch((e: unknown) => e);
    expect(third).toMatchObject({ status: 503, code: 'IMPORT_BUSY' });
    expect((third as Error).message).toMatch(/[\u4e00-\u9fff]/);
    for (const s of slow) s.end();
    await Promise.all(running);
    // Both slots are free again.
    const after = await walkSheet(Readable.from([Buffer.from('PK')]), LAYOUT, asText).catch((e: unknown) => e);
    expect(after).toMatchObject({ code: 'IMPORT_UNREADABLE' });
  });
});

import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import * as ExcelJS from 'exceljs';
import { keysetRows, streamToBuffer, streamXlsx, XLSX_BACKLOG_LIMIT } from './stream-export';
import { TableCell, TableColumn } from './workbook';

const COLUMNS: TableColumn[] = [
  { header: '序号', width: 6, kind: 'number' },
  { header: '身份证号', width: 22, kind: 'text' },
  { header: '备注', width: 30 },
];

/** Rows numbered from 1, each with ~`pad` bytes of text that hardly compresses, counting how many were pulled. */
function counted(total: number, pad = 200) {
  const state = { pulled: 0, returned: false };
  async function* rows(): AsyncGenerator<TableCell[]> {
    try {
      for (let i = 1; i <= total; i++) {
        state.pulled = i;
        yield [i, `371302${String(i).padStart(12, '0')}`, randomBytes(pad / 2).toString('hex')];
      }
    } finally {
      state.returned = true;
    }
  }
  return { state, rows: rows() };
}

const settle = async (probe: () => number) => {
  // Until the pulled count stops moving for a while.
  let last = -1;
  while (probe() !== last) {
    last = probe();
    await new Promise((r) => setTimeout(r, 150));
  }
};

describe('streamXlsx', () => {
  it('writes the title, a frozen bold header, text as text, formulas neutralised, dates from the rows', async () => {
    const rows = async function* () {
      yield [1, '371302199001011234', '=HYPERLINK("x")'] as TableCell[];
      yield [2, '000123', null] as TableCell[];
    };
    const date = new Date(Date.UTC(2019, 6, 15));
    const body = await streamToBuffer(
      streamXlsx({ name: '登记', title: '某项目 登记', columns: COLUMNS }, rows(), { date: () => date }),
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as never);
    const ws = wb.getWorksheet('登记')!;
    expect(ws.getCell(1, 1).value).toBe('某项目 登记');
    expect(ws.getRow(2).values).toEqual([undefined, '序号', '身份证号', '备注']);
    expect(ws.getCell(2, 1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(ws.getCell(3, 1).value).toBe(1);
    expect(ws.getCell(3, 2).value).toBe('371302199001011234');
    expect(ws.getCell(3, 2).numFmt).toBe('@');
    expect(ws.getCell(3, 3).value).toBe(`'=HYPERLINK("x")`);
    expect(ws.getCell(4, 2).value).toBe('000123');
    expect(ws.rowCount).toBe(4);
    expect(wb.created.toISOString()).toBe(date.toISOString());
  });

  it('stops pulling rows while nobody reads, resumes when read, and ends complete', async () => {
    // ~300 bytes of sheet XML a row: 60 MB in all.
    const total = 200_000;
    const { state, rows } = counted(total);
    const stream = streamXlsx({ name: 's', columns: COLUMNS }, rows, { date: () => new Date(0) });
    await settle(() => state.pulled);
    // Held back within the buffers of the compressor and the zip (a few MB), whatever the total.
    expect(state.pulled * 300).toBeLessThan(Math.max(8 << 20, 16 * XLSX_BACKLOG_LIMIT));
    expect(state.pulled).toBeLessThan(total);
    const body = await streamToBuffer(stream);
    expect(state.pulled).toBe(total);
    expect(body.subarray(-22).readUInt32LE(0)).toBe(0x06054b50); // ends with the zip's directory
  });

  it('stops reading rows (and closes the iterator) once the reader is gone', async () => {
    const { state, rows } = counted(1_000_000);
    const stream = streamXlsx({ name: 's', columns: COLUMNS }, rows, { date: () => new Date(0) });
    stream.once('data', () => stream.destroy());
    stream.resume();
    await settle(() => state.pulled);
    expect(state.returned).toBe(true);
    expect(state.pulled).toBeLessThan(1_000_000);
  });

  it('fails the stream, never ends it, when a row fails after bytes were sent', async () => {
    async function* failing(): AsyncGenerator<TableCell[]> {
      for (let i = 1; i <= 20_000; i++) {
        // A batch of 1,000 from the database: the event loop turns, the zip sends what it has.
        if (i % 1000 === 0) await new Promise((r) => setImmediate(r));
        if (i === 15_000) throw new Error('database gone');
        yield [i, String(i), 'x'.repeat(100)];
      }
    }
    const stream = streamXlsx({ name: 's', columns: COLUMNS }, failing(), { date: () => new Date(0), label: 'Test' });
    let bytes = 0;
    let ended = false;
    stream.on('data', (c: Buffer) => (bytes += c.length));
    stream.on('end', () => (ended = true));
    const error = await new Promise<Error>((resolve) => stream.once('error', resolve));
    expect(error.message).toBe('database gone');
    expect(bytes).toBeGreaterThan(0);
    expect(ended).toBe(false);
  });
});

describe('keysetRows', () => {
  it('reads batch after batch from the last row, and stops at a short batch', async () => {
    const ids = Array.from({ length: 2_501 }, (_, i) => i + 1);
    const asked: (number | undefined)[] = [];
    const out: number[] = [];
    for await (const r of keysetRows(
      1000,
      async (after: number | undefined) => {
        asked.push(after);
        return ids.filter((id) => id > (after ?? 0)).slice(0, 1000);
      },
      (batch) => batch.map((id) => id * 10),
    ))
      out.push(r);
    expect(asked).toEqual([undefined, 1000, 2000]);
    expect(out).toEqual(ids.map((id) => id * 10));
  });

  it('asks once more after an exactly full last batch, and gets nothing', async () => {
    const asked: (number | undefined)[] = [];
    const rows = keysetRows(
      2,
      async (after: number | undefined) => {
        asked.push(after);
        return [1, 2, 3, 4].filter((id) => id > (after ?? 0)).slice(0, 2);
      },
      (b) => b,
    );
    const out: number[] = [];
    for await (const r of rows) out.push(r);
    expect(out).toEqual([1, 2, 3, 4]);
    expect(asked).toEqual([undefined, 2, 4]);
  });
});

// The backpressure above relies on exceljs's sheet stream feeding the compressor through
// `worksheet.stream.pipes[0]`; if an upgrade moves it, the first test above fails here first.
it('finds the compressor input of an exceljs streamed sheet', () => {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: new PassThrough() });
  const ws = wb.addWorksheet('x') as unknown as { stream: { pipes: { _writableState?: { length: number } }[] } };
  expect(typeof ws.stream.pipes[0]._writableState?.length).toBe('number');
});

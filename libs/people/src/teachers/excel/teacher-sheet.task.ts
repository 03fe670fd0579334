import { once } from 'node:events';
import type { MessagePort } from 'node:worker_threads';
import { portReadable, portWritable, RowError, workerTask } from '@shipei/core';
import { LABEL_OF } from './teacher-columns';
import { ImportRow, readTeacherSheet, SchoolResolver } from './teacher-sheet-reader';

/** A county's school as the 学校 cell may name it. */
export interface SchoolRef {
  id: number;
  name: string;
  code: string | null;
}

export interface TeacherSheetJob {
  schools: SchoolRef[];
  now: Date;
}

/** Valid rows and row errors, in sheet order, about {@link BATCH_ROWS} rows at a time. */
export interface TeacherSheetBatch {
  rows: ImportRow[];
  errors: RowError[];
}

export const BATCH_ROWS = 500;

export const TEACHER_SHEET_TASK = workerTask(__filename, 'teacher-sheet.task', 'parseTeacherSheet');

/** The 学校 cell: the school's full name within the county (spaces ignored), or its organisation code. */
export function schoolResolver(schools: SchoolRef[]): SchoolResolver {
  const byName = new Map<string, number[]>();
  const byCode = new Map<string, number>();
  for (const s of schools) {
    const key = s.name.replace(/\s+/g, '');
    byName.set(key, [...(byName.get(key) ?? []), s.id]);
    if (s.code) byCode.set(s.code.toUpperCase(), s.id);
  }
  return (text) => {
    const ids = byName.get(text.replace(/\s+/g, ''));
    if (ids?.length === 1) return ids[0];
    if (ids && ids.length > 1) return { error: `本县区有多所名为「${text}」的学校，请改填单位代码` };
    return byCode.get(text.toUpperCase()) ?? { error: `本县区没有名称或代码为「${text.slice(0, 50)}」的学校` };
  };
}

/**
 * The same 身份证号 or phone twice in one sheet: every later row is an error naming the first. Keeps
 * only the two keys per row (not the rows), so the check costs a few MB for 100,000 teachers.
 */
export class SheetDuplicates {
  private readonly ids = new Map<string, number>();
  private readonly phones = new Map<string, number>();

  check(r: ImportRow): RowError[] {
    const errors: RowError[] = [];
    const firstId = this.ids.get(r.idNumber);
    if (firstId !== undefined)
      errors.push({ row: r.row, column: LABEL_OF.idNumber, message: `身份证号与第 ${firstId} 行重复` });
    else this.ids.set(r.idNumber, r.row);
    const firstPhone = this.phones.get(r.phone);
    if (firstPhone !== undefined)
      errors.push({ row: r.row, column: LABEL_OF.phone, message: `手机号与第 ${firstPhone} 行重复` });
    else this.phones.set(r.phone, r.row);
    return errors;
  }
}

/**
 * Runs in a worker thread: reads the upload from `ports.in` (the bytes the main thread receives),
 * validates each row and the sheet's duplicates, and sends the rows and errors in batches to
 * `ports.out`, waiting while the main thread is behind. The database checks stay on the main thread.
 * Layout errors (no header, too many rows, not an .xlsx) are thrown as the same Chinese 400s as before.
 */
export async function parseTeacherSheet(job: TeacherSheetJob, ports: { in: MessagePort; out: MessagePort }) {
  const source = portReadable(ports.in);
  const out = portWritable(ports.out, { objectMode: true });
  const duplicates = new SheetDuplicates();
  let batch: TeacherSheetBatch = { rows: [], errors: [] };
  let size = 0;
  const flush = async () => {
    if (!size) return;
    const full = batch;
    batch = { rows: [], errors: [] };
    size = 0;
    if (!out.write(full)) await once(out, 'drain');
  };
  try {
    await readTeacherSheet(source, schoolResolver(job.schools), job.now, async (parsed) => {
      if (parsed.row) {
        batch.rows.push(parsed.row);
        batch.errors.push(...duplicates.check(parsed.row));
      } else batch.errors.push(...parsed.errors);
      if (++size >= BATCH_ROWS) await flush();
    });
    await flush();
    out.end();
    await once(out, 'finish');
    return { done: true };
  } catch (err) {
    source.destroy();
    if (!out.destroyed) out.destroy(err as Error);
    throw err;
  }
}

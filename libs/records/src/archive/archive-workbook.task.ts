import { workerTask } from '@shipei/core';
import { normaliseXlsx } from '../shared/zip';
import {
  ArchiveHeader,
  LeaveRow,
  leaveWorkbook,
  RegisterRow,
  registerWorkbook,
  ResultRow,
  resultsWorkbook,
  ScheduleRow,
  scheduleWorkbook,
} from './archive-documents';

/**
 * The cohort archive's workbooks, built and made reproducible in a worker thread (spec §16): the
 * service reads the rows; exceljs and the zip rewriting run off the event loop.
 */
export type ArchiveWorkbookJob = { header: ArchiveHeader } & (
  | { kind: 'schedule'; rows: ScheduleRow[] }
  | { kind: 'leave'; rows: LeaveRow[] }
  | { kind: 'results'; rows: ResultRow[]; totalHours: number; threshold: number; assessed: boolean }
  | { kind: 'register'; rows: RegisterRow[] }
);

export const ARCHIVE_WORKBOOK_TASK = workerTask(__filename, 'archive-workbook.task', 'archiveWorkbook');
export const NORMALISE_XLSX_TASK = workerTask(__filename, 'archive-workbook.task', 'normaliseWorkbook');

export async function archiveWorkbook(job: ArchiveWorkbookJob): Promise<Uint8Array> {
  const h = job.header;
  const xlsx =
    job.kind === 'schedule'
      ? await scheduleWorkbook(h, job.rows)
      : job.kind === 'leave'
        ? await leaveWorkbook(h, job.rows)
        : job.kind === 'results'
          ? await resultsWorkbook(h, job.totalHours, job.threshold, job.rows, job.assessed)
          : await registerWorkbook(h, job.rows);
  return normaliseXlsx(xlsx, h.date);
}

/** A workbook made by another module (roster, attendance matrix), dated `date` inside and out. */
export async function normaliseWorkbook(job: { xlsx: Uint8Array; date: Date }): Promise<Uint8Array> {
  return normaliseXlsx(Buffer.from(job.xlsx.buffer, job.xlsx.byteOffset, job.xlsx.byteLength), job.date);
}

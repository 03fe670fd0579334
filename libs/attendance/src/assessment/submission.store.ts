import { dbDate, sqlDatetime } from '@shipei/core';
import { EntityManager } from 'typeorm';
import { SubmissionInfoDto } from '../dto/assessment.dto';
import { SubmissionFile } from './submission-file';

/** Bytes per stored chunk: one statement never carries more (MySQL's max_allowed_packet, see the migration). */
export const SUBMISSION_CHUNK_BYTES = 1024 * 1024;

const marks = (ids: readonly number[]) => ids.map(() => '?').join(', ');

/** The submissions of these enrolments (without content), keyed "enrolmentId:itemId". */
export async function submissionsOf(
  em: EntityManager,
  enrolmentIds: readonly number[],
): Promise<Map<string, SubmissionInfoDto>> {
  const out = new Map<string, SubmissionInfoDto>();
  for (let i = 0; i < enrolmentIds.length; i += 500) {
    const ids = enrolmentIds.slice(i, i + 500);
    const rows: Record<string, unknown>[] = await em.query(
      `SELECT enrolmentId, itemId, filename, contentType, size, createdAt FROM assessment_submission WHERE enrolmentId IN (${marks(ids)})`,
      [...ids],
    );
    for (const r of rows)
      out.set(`${Number(r.enrolmentId)}:${Number(r.itemId)}`, {
        filename: String(r.filename),
        contentType: String(r.contentType),
        size: Number(r.size),
        createdAt: dbDate(r.createdAt).toISOString(),
      });
  }
  return out;
}

/** Replaces the submission of (enrolment, item): the row, then its content in chunks. */
export async function saveSubmission(
  em: EntityManager,
  enrolmentId: number,
  itemId: number,
  file: SubmissionFile,
  now: Date,
): Promise<void> {
  await em.query('DELETE FROM assessment_submission WHERE enrolmentId = ? AND itemId = ?', [enrolmentId, itemId]);
  const chunks = Math.max(1, Math.ceil(file.content.length / SUBMISSION_CHUNK_BYTES));
  await em.query(
    'INSERT INTO assessment_submission (enrolmentId, itemId, filename, contentType, size, chunks, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [enrolmentId, itemId, file.filename, file.contentType, file.content.length, chunks, sqlDatetime(em, now)],
  );
  const [{ id }] = await em.query('SELECT id FROM assessment_submission WHERE enrolmentId = ? AND itemId = ?', [
    enrolmentId,
    itemId,
  ]);
  for (let seq = 0; seq < chunks; seq++)
    await em.query('INSERT INTO assessment_submission_chunk (submissionId, seq, content) VALUES (?, ?, ?)', [
      Number(id),
      seq,
      file.content.subarray(seq * SUBMISSION_CHUNK_BYTES, (seq + 1) * SUBMISSION_CHUNK_BYTES),
    ]);
}

/** The stored file of (enrolment, item), or null. */
export async function loadSubmission(
  em: EntityManager,
  enrolmentId: number,
  itemId: number,
): Promise<SubmissionFile | null> {
  const [row] = await em.query(
    'SELECT id, filename, contentType, size, chunks FROM assessment_submission WHERE enrolmentId = ? AND itemId = ?',
    [enrolmentId, itemId],
  );
  if (!row) return null;
  const parts: { content: Buffer | Uint8Array }[] = await em.query(
    'SELECT content FROM assessment_submission_chunk WHERE submissionId = ? ORDER BY seq',
    [Number(row.id)],
  );
  const content = Buffer.concat(parts.map((p) => Buffer.from(p.content)));
  // A file is whole or not served: the row says how many chunks and bytes it has.
  if (parts.length !== Number(row.chunks) || content.length !== Number(row.size)) return null;
  return { filename: String(row.filename), contentType: String(row.contentType), content };
}

import { EntityManager } from 'typeorm';
import { AssessmentRule } from '../completion/completion-rule';

/** A program's scored item (考核项目), as stored. */
export interface AssessmentItem extends AssessmentRule {
  programId: number;
  position: number;
  name: string;
  maxScore: number;
}

export interface StoredScore {
  enrolmentId: number;
  itemId: number;
  score: number;
}

const marks = (ids: readonly number[]) => ids.map(() => '?').join(', ');
/** Rows per IN (...) list: far below SQLite's bound-parameter limit. */
const CHUNK = 500;

/** The items of a program, in their order. MySQL returns DECIMAL as text: numbers here. */
export async function itemsOf(em: EntityManager, programId: number): Promise<AssessmentItem[]> {
  const rows: Record<string, unknown>[] = await em.query(
    'SELECT id, programId, position, name, maxScore, passMark FROM assessment_item WHERE programId = ? ORDER BY position, id',
    [programId],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    programId: Number(r.programId),
    position: Number(r.position),
    name: String(r.name),
    maxScore: Number(r.maxScore),
    passMark: Number(r.passMark),
  }));
}

/** Every score of the given enrolments. */
export async function scoresOf(em: EntityManager, enrolmentIds: readonly number[]): Promise<StoredScore[]> {
  const out: StoredScore[] = [];
  for (let i = 0; i < enrolmentIds.length; i += CHUNK) {
    const ids = enrolmentIds.slice(i, i + CHUNK);
    const rows: Record<string, unknown>[] = await em.query(
      `SELECT enrolmentId, itemId, score FROM assessment_score WHERE enrolmentId IN (${marks(ids)})`,
      ids,
    );
    out.push(
      ...rows.map((r) => ({ enrolmentId: Number(r.enrolmentId), itemId: Number(r.itemId), score: Number(r.score) })),
    );
  }
  return out;
}

/** Scores by enrolment, then by item. */
export function scoreMap(scores: readonly StoredScore[]): Map<number, Map<number, number>> {
  const by = new Map<number, Map<number, number>>();
  for (const s of scores) {
    if (!by.has(s.enrolmentId)) by.set(s.enrolmentId, new Map());
    by.get(s.enrolmentId)!.set(s.itemId, s.score);
  }
  return by;
}

/** The highest score recorded per item of a program (items without scores are absent). */
export async function highestScores(em: EntityManager, programId: number): Promise<Map<number, number>> {
  const rows: Record<string, unknown>[] = await em.query(
    `SELECT s.itemId AS itemId, MAX(s.score) AS top FROM assessment_score s
       INNER JOIN assessment_item i ON i.id = s.itemId WHERE i.programId = ? GROUP BY s.itemId`,
    [programId],
  );
  return new Map(rows.map((r) => [Number(r.itemId), Number(r.top)]));
}

/** The names of the teachers of these enrolments (for messages), in the given order. */
export async function traineeNames(em: EntityManager, enrolmentIds: readonly number[]): Promise<string[]> {
  const ids = enrolmentIds.slice(0, 50);
  if (!ids.length) return [];
  const rows: Record<string, unknown>[] = await em.query(
    `SELECT e.id AS id, t.name AS name FROM enrolment e INNER JOIN teacher t ON t.id = e.teacherId WHERE e.id IN (${marks(ids)})`,
    [...ids],
  );
  const by = new Map(rows.map((r) => [Number(r.id), String(r.name)]));
  return [...enrolmentIds].map((id) => by.get(id) ?? `#${id}`);
}

/** A trainee's score on one item, with the item, for the records that show scores. */
export interface ScoreLine {
  itemId: number;
  name: string;
  score: number;
  maxScore: number;
  passMark: number;
  passed: boolean;
}

/**
 * The recorded scores of these enrolments with their items, in the items' order (the teacher file,
 * the certificates register and the cohort archive show them).
 */
export async function scoreLines(
  em: EntityManager,
  enrolmentIds: readonly number[],
): Promise<Map<number, ScoreLine[]>> {
  const out = new Map<number, ScoreLine[]>();
  for (let i = 0; i < enrolmentIds.length; i += CHUNK) {
    const ids = enrolmentIds.slice(i, i + CHUNK);
    const rows: Record<string, unknown>[] = await em.query(
      `SELECT s.enrolmentId AS enrolmentId, i.id AS itemId, i.name AS name, s.score AS score, i.maxScore AS maxScore, i.passMark AS passMark
         FROM assessment_score s INNER JOIN assessment_item i ON i.id = s.itemId
        WHERE s.enrolmentId IN (${marks(ids)}) ORDER BY s.enrolmentId, i.position, i.id`,
      [...ids],
    );
    for (const r of rows) {
      const id = Number(r.enrolmentId);
      const score = Number(r.score);
      const passMark = Number(r.passMark);
      if (!out.has(id)) out.set(id, []);
      out.get(id)!.push({
        itemId: Number(r.itemId),
        name: String(r.name),
        score,
        maxScore: Number(r.maxScore),
        passMark,
        passed: Math.round(score * 100) >= Math.round(passMark * 100),
      });
    }
  }
  return out;
}

/** One cell's text for a trainee's scores: 结业考试 88.5/100；研修作业 5/10（未及格）. */
export function scoreSummary(lines: readonly ScoreLine[] | undefined): string {
  return (lines ?? []).map((l) => `${l.name} ${l.score}/${l.maxScore}${l.passed ? '' : '（未及格）'}`).join('；');
}

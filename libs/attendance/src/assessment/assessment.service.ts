import { Injectable } from '@nestjs/common';
import { AuditService } from '@shipei/audit';
import { AccessPolicy, Actor, Clock, hasRowLocks, sqlDatetime, TransactionRunner } from '@shipei/core';
import { Cohort, Program, PROGRAM_KIND } from '@shipei/programs';
import { EntityManager } from 'typeorm';
import { AttendanceAccess } from '../attendance.access';
import { CompletionService } from '../completion/completion.service';
import { assessmentPassed } from '../completion/completion-rule';
import {
  AssessmentItemInputDto,
  CohortScoresDto,
  ProgramAssessmentDto,
  ScoreInputDto,
  ScoresResultDto,
} from '../dto/assessment.dto';
import { cohortRoster } from '../records/roster';
import { AssessmentLocks } from './assessment-locks';
import { AssessmentErrors, FieldError } from './assessment.errors';
import { AssessmentItem, highestScores, itemsOf, scoreMap, scoresOf, traineeNames } from './assessment.store';
import { submissionsOf } from './submission.store';

const cents = (n: number) => Math.round(n * 100);
const toDto = (i: AssessmentItem) => ({ id: i.id, name: i.name, passMark: i.passMark, maxScore: i.maxScore });

/**
 * 考核 (spec §15): a program's scored items, set by its owner; the scores of a cohort's trainees,
 * entered or imported by its trainers or the owner. A change to either re-decides, in the same
 * transaction, the trainees whose 结业 was already decided, so a result always says what the
 * attendance and the scores now say (and DECIDED is recorded when it changes).
 */
@Injectable()
export class AssessmentService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly access: AccessPolicy,
    private readonly gate: AttendanceAccess,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly completion: CompletionService,
    private readonly locks: AssessmentLocks,
  ) {}

  /** Anyone who may read the program sees its items (a trainee sees what they will be assessed on). */
  async items(actor: Actor, programId: number): Promise<ProgramAssessmentDto> {
    return this.tx.run(async (em) => {
      await this.access.require(em, actor, PROGRAM_KIND, programId);
      return { programId, items: (await itemsOf(em, programId)).map(toDto) };
    });
  }

  /**
   * Replaces the program's items (matched to the stored ones by name). A scored item cannot be
   * removed, nor its 满分 set below a recorded score (409); a changed pass mark or a new item
   * re-decides the decided trainees — refused (409) if it would change the result of one who holds
   * a valid certificate (revoke it first).
   */
  async setItems(actor: Actor, programId: number, input: AssessmentItemInputDto[]): Promise<ProgramAssessmentDto> {
    validateItems(input);
    return this.tx.run(async (em) => {
      const program = await this.ownProgram(em, actor, programId);
      const before = await itemsOf(em, programId);
      const byName = new Map(before.map((i) => [i.name, i]));
      const wanted = new Set(input.map((i) => i.name));
      const top = await highestScores(em, programId);
      for (const gone of before.filter((i) => !wanted.has(i.name))) {
        if (top.has(gone.id)) throw AssessmentErrors.itemScored(gone.name);
        // Trainees' uploaded work is not dropped with an item in passing.
        const [{ n }] = await em.query('SELECT COUNT(*) AS n FROM assessment_submission WHERE itemId = ?', [gone.id]);
        if (Number(n)) throw AssessmentErrors.itemSubmitted(gone.name, Number(n));
      }
      const now = sqlDatetime(em, this.clock.now());
      let rulesChanged = false;
      for (const gone of before.filter((i) => !wanted.has(i.name))) {
        await em.query('DELETE FROM assessment_item WHERE id = ?', [gone.id]);
        rulesChanged = true;
      }
      for (const [position, i] of input.entries()) {
        const old = byName.get(i.name);
        if (!old) {
          await em.query(
            'INSERT INTO assessment_item (programId, position, name, maxScore, passMark, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)',
            [programId, position, i.name, i.maxScore, i.passMark, now, now],
          );
          rulesChanged = true;
          continue;
        }
        const highest = top.get(old.id);
        if (highest !== undefined && cents(i.maxScore) < cents(highest))
          throw AssessmentErrors.maxBelowScore(i.name, highest);
        if (cents(old.passMark) !== cents(i.passMark)) rulesChanged = true;
        if (
          old.position !== position ||
          cents(old.maxScore) !== cents(i.maxScore) ||
          cents(old.passMark) !== cents(i.passMark)
        )
          await em.query(
            'UPDATE assessment_item SET position = ?, maxScore = ?, passMark = ?, updatedAt = ? WHERE id = ?',
            [position, i.maxScore, i.passMark, now, old.id],
          );
      }
      if (rulesChanged) {
        const decided: { id: number }[] = await em.query(
          "SELECT id FROM enrolment WHERE programId = ? AND status IN ('COMPLETED', 'NOT_COMPLETED')",
          [programId],
        );
        await this.completion.redecide(
          em,
          actor,
          program,
          decided.map((r) => Number(r.id)),
          this.locks,
        );
      }
      await this.audit.record(em, actor, {
        action: 'update',
        entity: 'program',
        entityId: programId,
        fields: ['assessment'],
        note: `items ${before.length}→${input.length}`,
      });
      return { programId, items: (await itemsOf(em, programId)).map(toDto) };
    });
  }

  /** The cohort's trainees with their score and submission per item: its trainers and the program's owner. */
  async cohortScores(actor: Actor, cohortId: number): Promise<CohortScoresDto> {
    return this.tx.run(async (em) => {
      const { cohort } = await this.gate.cohort(em, actor, cohortId);
      return this.scoresView(em, cohort);
    });
  }

  async scoresView(em: EntityManager, cohort: Cohort): Promise<CohortScoresDto> {
    const items = await itemsOf(em, cohort.programId);
    const roster = await cohortRoster(em, cohort.id);
    const ids = roster.map((t) => t.enrolmentId);
    const scores = scoreMap(items.length ? await scoresOf(em, ids) : []);
    const files = items.length ? await submissionsOf(em, ids) : new Map();
    return {
      cohortId: cohort.id,
      programId: cohort.programId,
      items: items.map(toDto),
      trainees: roster.map((t) => {
        const mine = scores.get(t.enrolmentId) ?? new Map<number, number>();
        return {
          enrolmentId: t.enrolmentId,
          teacherId: t.teacherId,
          name: t.name,
          school: t.school,
          status: t.enrolmentStatus as CohortScoresDto['trainees'][number]['status'],
          scores: items.map((i) => {
            const score = mine.get(i.id) ?? null;
            return {
              itemId: i.id,
              score,
              passed: score !== null && cents(score) >= cents(i.passMark),
              submission: files.get(`${t.enrolmentId}:${i.id}`) ?? null,
            };
          }),
          passed: assessmentPassed(items, mine),
        };
      }),
    };
  }

  /** Scores entered on the page (JSON). */
  async setScores(actor: Actor, cohortId: number, scores: ScoreInputDto[]): Promise<ScoresResultDto> {
    return this.tx.run(async (em) => {
      const { cohort, program } = await this.gate.cohort(em, actor, cohortId);
      const problems = await this.check(em, cohort, scores, (i) => `scores[${i}]`);
      if (problems.length)
        throw AssessmentErrors.invalid(problems.map((p) => ({ field: p.field, message: p.message })));
      return this.write(em, actor, cohort, program, scores);
    });
  }

  /**
   * Checks a batch against the cohort: each enrolment on its roster, each item of its program, the
   * score ≤ the item's 满分, no pair twice. `where(i)` names the entry in a message.
   */
  async check(
    em: EntityManager,
    cohort: Cohort,
    scores: readonly ScoreInputDto[],
    where: (i: number) => string,
  ): Promise<(FieldError & { index: number })[]> {
    const items = new Map((await itemsOf(em, cohort.programId)).map((i) => [i.id, i]));
    if (!items.size) throw AssessmentErrors.noItems();
    const roster = new Set((await cohortRoster(em, cohort.id)).map((t) => t.enrolmentId));
    const seen = new Set<string>();
    const out: (FieldError & { index: number })[] = [];
    scores.forEach((s, index) => {
      const item = items.get(s.itemId);
      const at = where(index);
      if (!roster.has(s.enrolmentId))
        out.push({ index, field: `${at}.enrolmentId`, message: '该学员不在本班名单中（须已报到并分入本班）' });
      if (!item) out.push({ index, field: `${at}.itemId`, message: '考核项目不属于本班所在的培训项目' });
      else if (cents(s.score) > cents(item.maxScore))
        out.push({ index, field: `${at}.score`, message: `「${item.name}」成绩不能超过满分 ${item.maxScore}` });
      const key = `${s.enrolmentId}:${s.itemId}`;
      if (seen.has(key)) out.push({ index, field: at, message: '同一学员的同一考核项目重复录入' });
      seen.add(key);
    });
    return out;
  }

  /**
   * Stores a checked batch and re-decides who it concerns. The program row is locked first (MySQL)
   * as certificate issuing does, so a score change and an issue of the same program never interleave.
   * A changed score of a trainee with a valid certificate is refused (409): the certificate and the
   * register would then disagree with the scores; revoking it first is the deliberate way.
   */
  async write(
    em: EntityManager,
    actor: Actor,
    cohort: Cohort,
    program: Program,
    scores: readonly ScoreInputDto[],
  ): Promise<ScoresResultDto> {
    if (hasRowLocks(em))
      await em
        .createQueryBuilder(Program, 'p')
        .setLock('pessimistic_write')
        .where('p.id = :id', { id: program.id })
        .getOne();
    const current = scoreMap(await scoresOf(em, [...new Set(scores.map((s) => s.enrolmentId))]));
    const changes = scores.filter((s) => {
      const old = current.get(s.enrolmentId)?.get(s.itemId);
      return old === undefined || cents(old) !== cents(s.score);
    });
    const touched = [...new Set(changes.map((s) => s.enrolmentId))];
    const locked = await this.locks.locked(em, touched);
    if (locked.length) throw AssessmentErrors.certified(await traineeNames(em, locked));
    const now = sqlDatetime(em, this.clock.now());
    for (const s of changes) {
      const had = current.get(s.enrolmentId)?.has(s.itemId);
      if (had)
        await em.query(
          'UPDATE assessment_score SET score = ?, updatedById = ?, updatedAt = ? WHERE enrolmentId = ? AND itemId = ?',
          [s.score, actor.userId || null, now, s.enrolmentId, s.itemId],
        );
      else
        await em.query(
          'INSERT INTO assessment_score (enrolmentId, itemId, cohortId, score, updatedById, updatedAt) VALUES (?, ?, ?, ?, ?, ?)',
          [s.enrolmentId, s.itemId, cohort.id, s.score, actor.userId || null, now],
        );
    }
    const redecided = await this.completion.redecide(em, actor, program, touched, this.locks);
    if (changes.length)
      await this.audit.record(em, actor, {
        action: 'update',
        entity: 'cohort',
        entityId: cohort.id,
        fields: ['scores'],
        note: `scores ${changes.length}, redecided ${redecided}`,
      });
    return { updated: changes.length, redecided };
  }

  /** The program, for its owner (write); 404 if the actor may not see it, 403 if only read it. */
  private async ownProgram(em: EntityManager, actor: Actor, programId: number): Promise<Program> {
    const program = await this.access.load<Program>(em, actor, PROGRAM_KIND, programId);
    if (!(await this.access.allowed(em, actor, PROGRAM_KIND, [programId], 'write')).has(programId))
      throw AssessmentErrors.notOwner();
    if (hasRowLocks(em))
      await em
        .createQueryBuilder(Program, 'p')
        .setLock('pessimistic_write')
        .where('p.id = :id', { id: program.id })
        .getOne();
    return program;
  }
}

/** Rules across items that a decorator cannot say: pass mark ≤ 满分, names unique. */
function validateItems(items: readonly AssessmentItemInputDto[]): void {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  items.forEach((i, n) => {
    if (cents(i.passMark) > cents(i.maxScore))
      errors.push({ field: `items[${n}].passMark`, message: `「${i.name}」的及格分不能高于满分` });
    if (names.has(i.name)) errors.push({ field: `items[${n}].name`, message: `考核项目「${i.name}」重复` });
    names.add(i.name);
  });
  if (errors.length) throw AssessmentErrors.invalid(errors);
}

import { Injectable } from '@nestjs/common';
import { AuditService } from '@shipei/audit';
import { AccessPolicy, Actor, Clock, TransactionRunner } from '@shipei/core';
import { Enrolment, ENROLMENT_KIND } from '@shipei/enrolment';
import { EntityManager } from 'typeorm';
import { AttendanceAccess, isEnrolmentTrainee } from '../attendance.access';
import { AttendanceErrors } from '../attendance.errors';
import { assessmentPassed } from '../completion/completion-rule';
import { EnrolmentAssessmentDto } from '../dto/assessment.dto';
import { ROSTER_STATUSES } from '../statuses';
import { AssessmentErrors } from './assessment.errors';
import { itemsOf, scoreMap, scoresOf } from './assessment.store';
import { SubmissionFile } from './submission-file';
import { loadSubmission, saveSubmission, submissionsOf } from './submission.store';

const cents = (n: number) => Math.round(n * 100);

/**
 * A trainee's side of 考核: their items, scores and submissions; the trainee uploads a submission
 * per item (PDF, Word or image, kept in the database so every process serves it); the cohort's
 * trainers and the program's owner read them. Anyone else who may see the enrolment gets 403, the
 * rest 404.
 */
@Injectable()
export class SubmissionService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly access: AccessPolicy,
    private readonly gate: AttendanceAccess,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async view(actor: Actor, enrolmentId: number): Promise<EnrolmentAssessmentDto> {
    return this.tx.run(async (em) => this.describe(em, await this.reader(em, actor, enrolmentId)));
  }

  async upload(
    actor: Actor,
    enrolmentId: number,
    itemId: number,
    file: SubmissionFile,
  ): Promise<EnrolmentAssessmentDto> {
    return this.tx.run(async (em) => {
      const e = await this.access.load<Enrolment>(em, actor, ENROLMENT_KIND, enrolmentId);
      if (!isEnrolmentTrainee(actor, e)) throw AssessmentErrors.notSubmitter();
      if (!e.cohortId || !ROSTER_STATUSES.includes(e.status)) throw AttendanceErrors.notOnRoster();
      if (!(await itemsOf(em, e.programId)).some((i) => i.id === itemId)) throw AssessmentErrors.itemNotFound();
      await saveSubmission(em, e.id, itemId, file, this.clock.now());
      // The file name is the teacher's own text: the audit line records only what was done.
      await this.audit.record(em, actor, {
        action: 'attach',
        entity: 'enrolment',
        entityId: e.id,
        fields: ['submission'],
      });
      return this.describe(em, e);
    });
  }

  async download(actor: Actor, enrolmentId: number, itemId: number): Promise<SubmissionFile> {
    return this.tx.run(async (em) => {
      const e = await this.reader(em, actor, enrolmentId);
      const file = await loadSubmission(em, e.id, itemId);
      if (!file) throw AssessmentErrors.noSubmission();
      return file;
    });
  }

  /** The enrolment, for its teacher or who runs its cohort; 404 / 403 otherwise. */
  private async reader(em: EntityManager, actor: Actor, enrolmentId: number): Promise<Enrolment> {
    const e = await this.access.load<Enrolment>(em, actor, ENROLMENT_KIND, enrolmentId);
    if (isEnrolmentTrainee(actor, e)) return e;
    if (!e.cohortId) throw AttendanceErrors.notManager();
    await this.gate.cohort(em, actor, e.cohortId);
    return e;
  }

  private async describe(em: EntityManager, e: Enrolment): Promise<EnrolmentAssessmentDto> {
    const items = await itemsOf(em, e.programId);
    const mine = scoreMap(await scoresOf(em, [e.id])).get(e.id) ?? new Map<number, number>();
    const files = await submissionsOf(em, [e.id]);
    return {
      enrolmentId: e.id,
      programId: e.programId,
      cohortId: e.cohortId,
      items: items.map((i) => ({ id: i.id, name: i.name, passMark: i.passMark, maxScore: i.maxScore })),
      scores: items.map((i) => {
        const score = mine.get(i.id) ?? null;
        return {
          itemId: i.id,
          score,
          passed: score !== null && cents(score) >= cents(i.passMark),
          submission: files.get(`${e.id}:${i.id}`) ?? null,
        };
      }),
      passed: assessmentPassed(items, mine),
    };
  }
}

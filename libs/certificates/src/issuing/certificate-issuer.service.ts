import { Injectable } from '@nestjs/common';
import { AuditService } from '@shipei/audit';
import {
  AccessPolicy,
  Actor,
  AppConfig,
  Clock,
  DomainEvents,
  lockForShare,
  lockForUpdate,
  shanghaiDate,
  TransactionRunner,
} from '@shipei/core';
import { Enrolment, ENROLMENT_KIND } from '@shipei/enrolment';
import { Organisation, Teacher } from '@shipei/people';
import { Cohort, COHORT_KIND, Program, PROGRAM_KIND } from '@shipei/programs';
import { EntityManager, In } from 'typeorm';
import { assertCertificateView } from '../rendering';
import { byId } from '../by-id';
import { activeKeyOf, Certificate } from '../certificate.entity';
import { recordCertificatesIssued } from '../certificate.events';
import { toCertificateView } from '../certificate-mapping';
import { CertificateTemplateStore } from '../certificate-template-store';
import { CERTIFICATE_KIND, trainsCohort } from '../certificates.access';
import { certificateErrors } from '../certificates.errors';
import { allocateSequence, formatCertificateNumber, newVerificationCode } from './certificate-numbers';

export interface IssueOutcome {
  certificate: Certificate;
  /** False when the enrolment already held a valid certificate, which is returned unchanged. */
  created: boolean;
}

/** Rows per INSERT statement when a cohort's certificates are written. */
const INSERT_CHUNK = 100;

/** 临沂市教育局 stays; a county unit (兰山区) issues as its bureau (兰山区教育和体育局). */
export function issuerName(owner: Pick<Organisation, 'name' | 'type'>): string {
  return owner.type === 'COUNTY' && !owner.name.endsWith('局') ? `${owner.name}教育和体育局` : owner.name;
}

/**
 * Issues and revokes training certificates (spec §6): for COMPLETED enrolments only, one or a whole
 * cohort at a time, numbered gaplessly per program, at most one valid certificate per enrolment.
 */
@Injectable()
export class CertificateIssuer {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly templates: CertificateTemplateStore,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
  ) {}

  /** The certificate of one enrolment: issued now, or the valid one it already has. 409 NOT_COMPLETED otherwise. */
  async issueForEnrolment(actor: Actor, enrolmentId: number): Promise<IssueOutcome> {
    return this.tx.run(async (em) => {
      const enrolment = await this.access.load<Enrolment>(em, actor, ENROLMENT_KIND, enrolmentId);
      await this.requireIssuer(em, actor, enrolment.programId, enrolment.cohortId);
      const [outcome] = await this.issue(em, actor, enrolment.programId, [enrolment.id]);
      if (!outcome) throw certificateErrors.notCompleted();
      return outcome;
    });
  }

  /** Certificates for every COMPLETED enrolment of a cohort (existing ones returned as they are), in enrolment order. */
  async issueForCohort(actor: Actor, cohortId: number): Promise<IssueOutcome[]> {
    return this.tx.run(async (em) => {
      const cohort = await this.access.load<Cohort>(em, actor, COHORT_KIND, cohortId);
      await this.requireIssuer(em, actor, cohort.programId, cohort.id);
      const ids = await em
        .createQueryBuilder(Enrolment, 'e')
        .select('e.id', 'id')
        .where('e.cohortId = :cohortId AND e.status = :status', { cohortId: cohort.id, status: 'COMPLETED' })
        .getRawMany<{ id: number }>();
      const outcomes = ids.length
        ? await this.issue(
            em,
            actor,
            cohort.programId,
            ids.map((r) => Number(r.id)),
          )
        : [];
      if (!outcomes.length) throw certificateErrors.cohortNotCompleted();
      return outcomes;
    });
  }

  /** Revokes a valid certificate with a reason: the row stays, REVOKED, and its enrolment may be issued a new one. */
  async revoke(actor: Actor, id: number, reason: string): Promise<Certificate> {
    return this.tx.run(async (em) => {
      const [allowed] = [...(await this.access.allowed(em, actor, CERTIFICATE_KIND, [id], 'write'))];
      if (!allowed) {
        await this.access.require(em, actor, CERTIFICATE_KIND, id, 'read');
        throw certificateErrors.notRevoker();
      }
      const now = this.clock.now();
      const result = await em
        .createQueryBuilder()
        .update(Certificate)
        .set({
          status: 'REVOKED',
          activeKey: null,
          revokedAt: now,
          revokedBy: actor.userId || null,
          revokeReason: reason,
        })
        .where('id = :id AND status = :valid', { id, valid: 'VALID' })
        .execute();
      if (result.affected !== 1) throw certificateErrors.alreadyRevoked();
      // The reason is free text and may name people: the audit line records only which fields changed.
      await this.audit.record(em, actor, {
        action: 'revoke',
        entity: 'certificate',
        entityId: id,
        fields: ['status', 'revokeReason'],
      });
      return em.findOneByOrFail(Certificate, { id });
    });
  }

  /** Issuing is for the program's owner and the trainers of the enrolment's cohort; other readers get 403. */
  private async requireIssuer(
    em: EntityManager,
    actor: Actor,
    programId: number,
    cohortId: number | null,
  ): Promise<void> {
    if ((await this.access.allowed(em, actor, PROGRAM_KIND, [programId], 'write')).has(programId)) return;
    if (await trainsCohort(em, actor, cohortId)) return;
    throw certificateErrors.notIssuer();
  }

  /**
   * The core of issuing, inside the caller's transaction. Order matters for concurrency:
   * 1. the program row is locked first (MySQL; SQLite write transactions are serialised), so every
   *    issuer of this program — in any app process — waits here for the one before it to commit;
   * 2. enrolments and valid certificates are then read with locking reads, which see the latest
   *    committed rows rather than this transaction's older snapshot;
   * 3. the numbers are allocated from `program.certificateSeq` and the rows inserted in the same
   *    transaction: a failure rolls back the counter too, so the series has no gaps.
   * The unique indexes on number, code and active key stay as the last line of defence.
   */
  private async issue(
    em: EntityManager,
    actor: Actor,
    programId: number,
    enrolmentIds: number[],
  ): Promise<IssueOutcome[]> {
    const pq = em.createQueryBuilder(Program, 'p').where('p.id = :programId', { programId });
    const program = await lockForUpdate(pq).getOneOrFail();

    const eq = em
      .createQueryBuilder(Enrolment, 'e')
      .where('e.id IN (:...ids) AND e.programId = :programId AND e.status = :status', {
        ids: enrolmentIds,
        programId,
        status: 'COMPLETED',
      })
      .orderBy('e.id', 'ASC');
    const completed = await lockForShare(eq).getMany();
    if (!completed.length) return [];

    const cq = em
      .createQueryBuilder(Certificate, 'c')
      .where('c.activeKey IN (:...keys)', { keys: completed.map((e) => activeKeyOf('ENROLMENT', e.id)) });
    const existing = new Map((await lockForUpdate(cq).getMany()).map((c) => [c.enrolmentId!, c]));
    const todo = completed.filter((e) => !existing.has(e.id));

    const created = new Map<number, Certificate>();
    if (todo.length) {
      for (const c of await this.create(em, actor, program, todo)) created.set(c.enrolmentId!, c);
    }
    return completed.map((e) =>
      existing.has(e.id)
        ? { certificate: existing.get(e.id)!, created: false }
        : { certificate: created.get(e.id)!, created: true },
    );
  }

  private async create(
    em: EntityManager,
    actor: Actor,
    program: Program,
    enrolments: Enrolment[],
  ): Promise<Certificate[]> {
    const teachers = await byId(
      em,
      Teacher,
      enrolments.map((e) => e.teacherId),
    );
    const cohorts = await byId(
      em,
      Cohort,
      enrolments.map((e) => e.cohortId ?? 0),
    );
    const orgs = await byId(em, Organisation, [
      ...[...teachers.values()].map((t) => t.schoolId),
      program.ownerOrganisationId,
    ]);
    const owner = orgs.get(program.ownerOrganisationId);
    if (!owner) throw new Error(`owner organisation ${program.ownerOrganisationId} of program ${program.id} not found`);
    const template = await this.templates.versionFor(em, program.certificateTemplate);

    const now = this.clock.now();
    const first = await allocateSequence(em, program.id, enrolments.length);
    const rows: Partial<Certificate>[] = enrolments.map((e, i) => {
      const teacher = teachers.get(e.teacherId)!;
      const cohort = e.cohortId ? cohorts.get(e.cohortId) : undefined;
      const startDate = cohort?.startDate ?? program.startDate;
      const endDate = cohort?.endDate ?? program.endDate;
      if (!startDate || !endDate) throw certificateErrors.datesMissing();
      const sequence = first + i;
      const row: Partial<Certificate> = {
        number: formatCertificateNumber(program.certificatePrefix, program.year, sequence),
        sequence,
        verificationCode: newVerificationCode(),
        kind: 'TRAINING',
        status: 'VALID',
        sourceType: 'ENROLMENT',
        sourceId: e.id,
        activeKey: activeKeyOf('ENROLMENT', e.id),
        enrolmentId: e.id,
        programId: program.id,
        cohortId: e.cohortId,
        teacherId: teacher.id,
        countyId: teacher.countyId,
        template,
        holderName: teacher.name,
        schoolName: orgs.get(teacher.schoolId)?.name ?? '',
        programTitle: program.title,
        startDate,
        endDate,
        creditHours: e.creditHours ?? program.creditHours,
        issuer: issuerName(owner),
        issueDate: shanghaiDate(now),
        extra: null,
        issuedAt: now,
        issuedBy: actor.userId || null,
      };
      // Fail now, not at the first print, if the content cannot be printed.
      assertCertificateView(toCertificateView(row as Certificate, this.config.publicBaseUrl), i);
      return row;
    });

    const numbers = rows.map((r) => r.number!);
    const taken = await em.find(Certificate, { where: { number: In(numbers) }, select: { id: true, number: true } });
    if (taken.length) throw certificateErrors.numberTaken(taken[0].number);
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await em.insert(Certificate, rows.slice(i, i + INSERT_CHUNK));

    const inserted = await em.find(Certificate, { where: { number: In(numbers) }, order: { sequence: 'ASC' } });
    for (const c of inserted) {
      await this.audit.record(em, actor, {
        action: 'issue',
        entity: 'certificate',
        entityId: c.id,
        fields: ['number', 'status'],
      });
    }
    await recordCertificatesIssued(this.events, em, actor.userId || null, inserted);
    return inserted;
  }
}

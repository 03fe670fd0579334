import { Injectable } from '@nestjs/common';
import { AuditService } from '@shipei/audit';
import {
  Actor,
  AppConfig,
  Clock,
  ConflictError,
  DomainEvents,
  ForbiddenError,
  lockForUpdate,
  shanghaiDate,
  TransactionRunner,
} from '@shipei/core';
import { Organisation, Teacher } from '@shipei/people';
import { PlacementsService } from '@shipei/talent-support';
import { EntityManager } from 'typeorm';
import { activeKeyOf, Certificate } from '../certificate.entity';
import { recordCertificatesIssued } from '../certificate.events';
import { toCertificateView } from '../certificate-mapping';
import { issuerName, IssueOutcome } from '../issuing/certificate-issuer.service';
import { formatCertificateNumber, newVerificationCode } from '../issuing/certificate-numbers';
import { assertCertificateView } from '../rendering';
import { CertificateSeries } from './certificate-series.entity';
import { issuesServiceCertificates } from '../certificates.access';

/** 支教证明 numbers: ZJ + the scheme's year, one gapless series per year (ZJ2019-0001). */
export const SERVICE_NUMBER_PREFIX = 'ZJ';

export const serviceCertificateErrors = {
  notIssuer: () => new ForbiddenError('NOT_CERTIFICATE_ISSUER', '只有市级管理员或该教师所在县区可以出具支教证明'),
  numberTaken: (number: string) =>
    new ConflictError('CERTIFICATE_NUMBER_TAKEN', `证明编号 ${number} 已被占用，请联系市级管理员`, { number }),
};

/**
 * Takes the next number of a series that belongs to no program and returns it. The counter row is
 * created on first use (INSERT … IGNORE: two first issuers at once keep one row) and locked before
 * it is read, so issuers of one series queue up here; the caller must re-check what it is about to
 * issue after this call (its reads are now current) and insert in the same transaction.
 */
export async function lockSeries(em: EntityManager, series: string): Promise<CertificateSeries> {
  const read = () => {
    const qb = em.createQueryBuilder(CertificateSeries, 's').where('s.series = :series', { series });
    return lockForUpdate(qb).getOne();
  };
  const found = await read();
  if (found) return found;
  await em
    .createQueryBuilder()
    .insert()
    .into(CertificateSeries)
    .values({ series, lastSequence: 0 })
    .orIgnore()
    .execute();
  const created = await read();
  if (!created) throw new Error(`certificate series ${series} not created`);
  return created;
}

/**
 * Issues the 支教证明 of a COMPLETED placement (spec §7/§8): for the city or the placement's county,
 * at most one valid certificate per placement (the unique active key), rendered with the built-in
 * 'service' template, verified and revoked like a training certificate.
 */
@Injectable()
export class ServiceCertificateIssuer {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly placements: PlacementsService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
  ) {}

  /** The certificate of one placement: issued now, or the valid one it already has. 409 NOT_COMPLETED otherwise. */
  async issueForPlacement(actor: Actor, placementId: number): Promise<IssueOutcome> {
    if (!issuesServiceCertificates(actor)) throw serviceCertificateErrors.notIssuer();
    return this.tx.run(async (em) => {
      // 404 when the caller may not see the placement, 409 NOT_COMPLETED unless it is COMPLETED.
      const data = await this.placements.serviceCertificateData(em, actor, placementId);
      const key = activeKeyOf('PLACEMENT', data.placementId);
      const existing = await em.findOneBy(Certificate, { activeKey: key });
      if (existing) return { certificate: existing, created: false };

      const seriesName = `${SERVICE_NUMBER_PREFIX}${data.schemeYear}`;
      const series = await lockSeries(em, seriesName);
      // Holding the series lock, read again with a locking (current) read: a concurrent issuer of
      // this placement has committed by now, and its certificate is returned instead.
      const again = em.createQueryBuilder(Certificate, 'c').where('c.activeKey = :key', { key });
      const raced = await lockForUpdate(again).getOne();
      if (raced) return { certificate: raced, created: false };

      const teacher = await em.findOneByOrFail(Teacher, { id: data.teacherId });
      const city = await em.findOne(Organisation, { where: { type: 'CITY' }, order: { id: 'ASC' } });
      const sequence = series.lastSequence + 1;
      const number = formatCertificateNumber(SERVICE_NUMBER_PREFIX, data.schemeYear, sequence);
      if (await em.countBy(Certificate, { number })) throw serviceCertificateErrors.numberTaken(number);
      const now = this.clock.now();
      const row: Partial<Certificate> = {
        number,
        sequence,
        verificationCode: newVerificationCode(),
        kind: 'SERVICE',
        status: 'VALID',
        sourceType: 'PLACEMENT',
        sourceId: data.placementId,
        activeKey: key,
        enrolmentId: null,
        programId: null,
        cohortId: null,
        teacherId: teacher.id,
        countyId: teacher.countyId,
        template: 'service',
        holderName: data.teacherName,
        schoolName: data.homeSchoolName,
        programTitle: data.schemeTitle,
        startDate: data.arrivalDate,
        endDate: data.endDate,
        creditHours: 0,
        issuer: city ? issuerName(city) : '临沂市教育局',
        issueDate: shanghaiDate(now),
        extra: JSON.stringify({
          hostSchool: data.receivingSchoolName,
          hostCounty: data.receivingCountyName,
          assessment: data.assessment,
        }),
        issuedAt: now,
        issuedBy: actor.userId || null,
      };
      assertCertificateView(toCertificateView(row as Certificate, this.config.publicBaseUrl), 0);

      const advanced = await em
        .createQueryBuilder()
        .update(CertificateSeries)
        .set({ lastSequence: sequence })
        .where('id = :id AND lastSequence = :last', { id: series.id, last: series.lastSequence })
        .execute();
      if (advanced.affected !== 1) throw new Error(`certificate series ${seriesName} moved while locked`);
      await em.insert(Certificate, row);
      const certificate = await em.findOneByOrFail(Certificate, { number });
      await this.audit.record(em, actor, {
        action: 'issue',
        entity: 'certificate',
        entityId: certificate.id,
        fields: ['number', 'status'],
      });
      await recordCertificatesIssued(this.events, em, actor.userId || null, [certificate]);
      return { certificate, created: true };
    });
  }
}

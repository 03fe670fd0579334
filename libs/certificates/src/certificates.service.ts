import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { AccessPolicy, Actor, AppConfig, boundedTotal, Page, pageOf } from '@shipei/core';
import { EntityManager } from 'typeorm';
import { Certificate } from './certificate.entity';
import { toCertificateDto } from './certificate-mapping';
import { CERTIFICATE_KIND } from './certificates.access';
import { CertificateDto, CertificateQuery } from './dto/certificate.dto';

/** Reading certificates as records: one, or a filtered list, within the caller's scope. */
@Injectable()
export class CertificatesService {
  constructor(
    @InjectEntityManager() private readonly em: EntityManager,
    private readonly access: AccessPolicy,
    private readonly config: AppConfig,
  ) {}

  async get(actor: Actor, id: number): Promise<CertificateDto> {
    return this.toDto(await this.access.load<Certificate>(this.em, actor, CERTIFICATE_KIND, id));
  }

  /**
   * A page in id order and its total: exact up to 10,000, past it an estimate (`totalExact: false`,
   * 约 N on the register page) — a province's 200k certificates are never all counted per request.
   */
  async list(actor: Actor, q: CertificateQuery): Promise<Page<CertificateDto> & { totalExact: boolean }> {
    const qb = this.access.query<Certificate>(this.em, actor, CERTIFICATE_KIND, 'c');
    if (q.programId) qb.andWhere('c.programId = :programId', { programId: q.programId });
    if (q.cohortId) qb.andWhere('c.cohortId = :cohortId', { cohortId: q.cohortId });
    if (q.teacherId) qb.andWhere('c.teacherId = :teacherId', { teacherId: q.teacherId });
    if (q.status) qb.andWhere('c.status = :status', { status: q.status });
    if (q.number) qb.andWhere('c.number = :number', { number: q.number });
    const [rows, total] = await Promise.all([
      qb.clone().orderBy('c.id', 'ASC').offset(q.offset).limit(q.pageSize).getMany(),
      boundedTotal(this.em, qb, 'c', 'certificate'),
    ]);
    return {
      ...pageOf(
        rows.map((c) => this.toDto(c)),
        total.total,
        q,
      ),
      totalExact: total.exact,
    };
  }

  /** Valid training certificates of a program per county, among those the actor may see (分县区统计). */
  async validTrainingCountsByCounty(actor: Actor, programId: number): Promise<Map<number, number>> {
    const rows = await this.access
      .query<Certificate>(this.em, actor, CERTIFICATE_KIND, 'c')
      .select('c.countyId', 'countyId')
      .addSelect('COUNT(*)', 'n')
      .andWhere('c.programId = :programId AND c.status = :valid AND c.kind = :kind', {
        programId,
        valid: 'VALID',
        kind: 'TRAINING',
      })
      .groupBy('c.countyId')
      .getRawMany<{ countyId: number | string; n: number | string }>();
    return new Map(rows.map((r) => [Number(r.countyId), Number(r.n)]));
  }

  toDto(c: Certificate): CertificateDto {
    return toCertificateDto(c, this.config.publicBaseUrl);
  }
}

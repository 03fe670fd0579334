import { Injectable, OnModuleInit } from '@nestjs/common';
import { AssessmentLocks } from '@shipei/attendance';
import { lockForShare } from '@shipei/core';
import { Certificate } from '../certificate.entity';

/**
 * A trainee holding a valid certificate keeps the 考核 result it was issued on: a score change that
 * concerns them, or an item change that would flip their result, is refused (409) until the
 * certificate is revoked. Read with a locking read, so a certificate committed a moment ago (issuing
 * locks the program row first, as score changes do) is seen on MySQL too.
 */
@Injectable()
export class CertificateAssessmentLock implements OnModuleInit {
  constructor(private readonly locks: AssessmentLocks) {}

  onModuleInit(): void {
    this.locks.register(async (em, enrolmentIds) => {
      const rows = await lockForShare(
        em
          .createQueryBuilder(Certificate, 'c')
          .select('c.enrolmentId', 'enrolmentId')
          .where('c.status = :valid AND c.enrolmentId IN (:...ids)', { valid: 'VALID', ids: [...enrolmentIds] }),
      ).getRawMany<{ enrolmentId: number }>();
      return rows.map((r) => Number(r.enrolmentId));
    });
  }
}

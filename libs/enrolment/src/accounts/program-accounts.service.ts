import { Injectable } from '@nestjs/common';
import { AccountsService, OpenedAccountDto } from '@shipei/auth';
import { AccessPolicy, Actor, ConflictError, TransactionRunner } from '@shipei/core';
import { Program, PROGRAM_KIND } from '@shipei/programs';
import { EntityManager } from 'typeorm';
import { APPROVED_SEAT_HOLDING, Enrolment } from '../enrolment.entity';
import { accountsCounty, ENROLMENT_KIND } from '../enrolment.access';

/**
 * Opening the accounts of a program's approved trainees in one batch (spec §12): 审核通过, 已报到,
 * 已结业 and 未结业 enrolments; the city opens them all, a county those of its own county's teachers
 * (the only teachers whose accounts it manages).
 */
@Injectable()
export class ProgramAccountsService {
  constructor(
    private readonly access: AccessPolicy,
    private readonly accounts: AccountsService,
    private readonly tx: TransactionRunner,
  ) {}

  /** The teachers whose accounts the actor would open for this program, in enrolment order. */
  async approvedTeacherIds(em: EntityManager, actor: Actor, programId: number): Promise<number[]> {
    await this.access.load<Program>(em, actor, PROGRAM_KIND, programId, 'read');
    const qb = this.access
      .query<Enrolment>(em, actor, ENROLMENT_KIND, 'e')
      .select('e.teacherId', 'teacherId')
      .andWhere('e.programId = :programId', { programId })
      .andWhere('e.status IN (:...statuses)', { statuses: APPROVED_SEAT_HOLDING });
    const county = accountsCounty(actor);
    if (county !== null) qb.andWhere('e.countyId = :ownCounty', { ownCounty: county });
    const rows = await qb.orderBy('e.id', 'ASC').getRawMany<{ teacherId: number | string }>();
    return rows.map((r) => Number(r.teacherId));
  }

  /**
   * Opens the accounts (username = phone, a one-time password each); those who already have one are
   * listed without a password. 409 NO_APPROVED_TRAINEES when there is nobody to open.
   */
  async open(actor: Actor, programId: number): Promise<OpenedAccountDto[]> {
    const teacherIds = await this.tx.read((em) => this.approvedTeacherIds(em, actor, programId));
    if (!teacherIds.length) throw new ConflictError('NO_APPROVED_TRAINEES', '该项目还没有审核通过的学员，无需开通账号');
    return this.accounts.openForTeachers(actor, teacherIds);
  }
}

import { itemsOf, ScoreLine, scoreLines, scoreSummary } from '@shipei/attendance';
import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { AccessPolicy, Actor, shanghaiDate } from '@shipei/core';
import { maskIdNumber, Organisation, Teacher } from '@shipei/people';
import { Cohort, Program, PROGRAM_KIND } from '@shipei/programs';
import { EntityManager } from 'typeorm';
import { byId } from '../by-id';
import { Certificate, CERTIFICATE_STATUS_LABELS } from '../certificate.entity';
import { CERTIFICATE_KIND } from '../certificates.access';
import { buildWorkbook, SheetColumn } from './xlsx';

export interface XlsxFile {
  filename: string;
  body: Buffer;
}

const shanghaiDay = (d: Date | null) => (d ? shanghaiDate(d) : '');

/**
 * The office's spreadsheets of a program's certificates (spec §8): the certificate register
 * (证书登记册, every certificate with its status) and the credit-hour registration list (学分登记,
 * valid certificates only) for the provincial credit system. 身份证号 are always masked. The rows
 * are those the caller may read: the whole program for its owner, a county's own teachers otherwise.
 */
@Injectable()
export class CertificateRegisters {
  constructor(
    @InjectEntityManager() private readonly em: EntityManager,
    private readonly access: AccessPolicy,
  ) {}

  async register(actor: Actor, programId: number): Promise<XlsxFile> {
    const { program, certificates, teachers, orgs, cohorts } = await this.load(actor, programId, false);
    const columns: SheetColumn[] = [
      { header: '序号', width: 6, kind: 'number' },
      { header: '证书编号', width: 18, kind: 'text' },
      { header: '姓名', width: 12, kind: 'text' },
      { header: '身份证号', width: 22, kind: 'text' },
      { header: '所在县区', width: 14, kind: 'text' },
      { header: '工作单位', width: 28, kind: 'text' },
      { header: '班级', width: 14, kind: 'text' },
      { header: '培训开始日期', width: 13, kind: 'text' },
      { header: '培训结束日期', width: 13, kind: 'text' },
      { header: '学时', width: 8, kind: 'number' },
      { header: '发证单位', width: 20, kind: 'text' },
      { header: '发证日期', width: 12, kind: 'text' },
      { header: '状态', width: 8, kind: 'text' },
      { header: '撤销日期', width: 12, kind: 'text' },
      { header: '撤销原因', width: 30, kind: 'text' },
    ];
    // A program with 考核 items: each holder's scores, as recorded (a valid certificate freezes them).
    const assessed = (await itemsOf(this.em, program.id)).length > 0;
    const scores = assessed
      ? await scoreLines(
          this.em,
          certificates.flatMap((c) => (c.enrolmentId ? [c.enrolmentId] : [])),
        )
      : new Map<number, ScoreLine[]>();
    if (assessed) columns.splice(10, 0, { header: '考核成绩', width: 30, kind: 'text' });
    const rows = certificates.map((c, i) => [
      i + 1,
      c.number,
      c.holderName,
      maskIdNumber(teachers.get(c.teacherId)?.idNumber),
      orgs.get(c.countyId)?.name ?? '',
      c.schoolName,
      (c.cohortId && cohorts.get(c.cohortId)?.name) || '',
      c.startDate,
      c.endDate,
      Number(c.creditHours),
      ...(assessed ? [scoreSummary(c.enrolmentId ? scores.get(c.enrolmentId) : undefined)] : []),
      c.issuer,
      c.issueDate,
      CERTIFICATE_STATUS_LABELS[c.status],
      shanghaiDay(c.revokedAt),
      c.revokeReason ?? '',
    ]);
    const body = await buildWorkbook({
      name: '证书登记册',
      title: `${program.title} 证书登记册`,
      columns,
      rows,
      date: dataDate(certificates),
    });
    return { filename: `${program.title}-证书登记册.xlsx`, body };
  }

  async creditHours(actor: Actor, programId: number): Promise<XlsxFile> {
    const { program, certificates, teachers, orgs } = await this.load(actor, programId, true);
    const columns: SheetColumn[] = [
      { header: '序号', width: 6, kind: 'number' },
      { header: '姓名', width: 12, kind: 'text' },
      { header: '身份证号', width: 22, kind: 'text' },
      { header: '所在县区', width: 14, kind: 'text' },
      { header: '工作单位', width: 28, kind: 'text' },
      { header: '培训项目', width: 36, kind: 'text' },
      { header: '培训开始日期', width: 13, kind: 'text' },
      { header: '培训结束日期', width: 13, kind: 'text' },
      { header: '学时', width: 8, kind: 'number' },
      { header: '证书编号', width: 18, kind: 'text' },
    ];
    const rows = certificates.map((c, i) => [
      i + 1,
      c.holderName,
      maskIdNumber(teachers.get(c.teacherId)?.idNumber),
      orgs.get(c.countyId)?.name ?? '',
      c.schoolName,
      c.programTitle,
      c.startDate,
      c.endDate,
      Number(c.creditHours),
      c.number,
    ]);
    const body = await buildWorkbook({
      name: '学分登记',
      title: `${program.title} 学分登记表`,
      columns,
      rows,
      date: dataDate(certificates),
    });
    return { filename: `${program.title}-学分登记表.xlsx`, body };
  }

  private async load(actor: Actor, programId: number, validOnly: boolean) {
    const program = await this.access.load<Program>(this.em, actor, PROGRAM_KIND, programId);
    const qb = this.access
      .query<Certificate>(this.em, actor, CERTIFICATE_KIND, 'c')
      .andWhere('c.programId = :programId', { programId })
      .orderBy('c.sequence', 'ASC');
    if (validOnly) qb.andWhere('c.status = :valid', { valid: 'VALID' });
    const certificates = await qb.getMany();
    const teachers = await byId(
      this.em,
      Teacher,
      certificates.map((c) => c.teacherId),
      { id: true, idNumber: true },
    );
    const orgs = await byId(
      this.em,
      Organisation,
      certificates.map((c) => c.countyId),
      { id: true, name: true },
    );
    const cohorts = await byId(
      this.em,
      Cohort,
      certificates.map((c) => c.cohortId ?? 0),
      { id: true, name: true },
    );
    return { program, certificates, teachers, orgs, cohorts };
  }
}

/** The latest change among the rows (or a fixed date for an empty list). */
function dataDate(certificates: Certificate[]): Date {
  let latest = certificates.length ? 0 : Date.UTC(2019, 0, 1);
  for (const c of certificates) latest = Math.max(latest, c.issuedAt.getTime(), c.revokedAt?.getTime() ?? 0);
  return new Date(latest);
}

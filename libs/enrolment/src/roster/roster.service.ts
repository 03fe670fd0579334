import { Injectable } from '@nestjs/common';
import * as ExcelJS from 'exceljs';
import { AccessPolicy, Actor } from '@shipei/core';
import { BACKBONE_LABELS, BackboneLevel, maskIdNumber, maskPhone, Organisation, Teacher } from '@shipei/people';
import { Cohort, CountyQuota, Program, PROGRAM_KIND } from '@shipei/programs';
import { EntityManager, In } from 'typeorm';
import { CountyFiguresDto, ProgramFiguresDto, RosterQuery } from '../dto/enrolment.dto';
import {
  APPROVED_SEAT_HOLDING,
  Enrolment,
  ENROLMENT_STATUS_LABELS,
  EnrolmentStatus,
  SEAT_HOLDING,
} from '../enrolment.entity';
import { ENROLMENT_KIND, ownQuotaCounty, seesAllQuotas } from '../enrolment.access';

const CHUNK = 400;
const chunks = <T>(xs: T[]): T[][] =>
  Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, i * CHUNK + CHUNK));
/** A cell that Excel would run as a formula is written as plain text. */
const safe = (s: string | null | undefined) => (s && /^[=+\-@\t\r]/.test(s) ? `'${s}` : (s ?? ''));

export interface XlsxDownload {
  filename: string;
  body: Buffer;
}

const CONFIRMED_LIKE: EnrolmentStatus[] = ['CONFIRMED', 'COMPLETED', 'NOT_COMPLETED'];

/** 花名册 (.xlsx) and the per-county figures of a program (spec §8 dashboards). */
@Injectable()
export class RosterService {
  constructor(private readonly access: AccessPolicy) {}

  /**
   * The roster of a program as the actor may see it (a county: its own teachers), filterable by
   * county, status and cohort. 身份证号 and 手机号 are masked, written as text cells.
   */
  async roster(em: EntityManager, actor: Actor, programId: number, q: RosterQuery): Promise<XlsxDownload> {
    const program = await this.access.load<Program>(em, actor, PROGRAM_KIND, programId);
    const qb = this.access
      .query<Enrolment>(em, actor, ENROLMENT_KIND, 'e')
      .andWhere('e.programId = :programId', { programId });
    if (q.countyId) qb.andWhere('e.countyId = :countyId', { countyId: q.countyId });
    if (q.status) qb.andWhere('e.status = :status', { status: q.status });
    if (q.cohortId === 0) qb.andWhere('e.cohortId IS NULL');
    else if (q.cohortId) qb.andWhere('e.cohortId = :cohortId', { cohortId: q.cohortId });
    const rows = await qb.orderBy('e.countyId').addOrderBy('e.id').getMany();

    const teachers = new Map<number, Teacher>();
    for (const part of chunks(rows.map((r) => r.teacherId)))
      for (const t of await em.find(Teacher, { where: { id: In(part) } })) teachers.set(t.id, t);
    const orgIds = [...new Set([...teachers.values()].flatMap((t) => [t.schoolId, t.countyId]))];
    const orgs = new Map<number, Organisation>();
    for (const part of chunks(orgIds))
      for (const o of await em.find(Organisation, { where: { id: In(part) } })) orgs.set(o.id, o);
    const cohorts = new Map((await em.find(Cohort, { where: { programId } })).map((c) => [c.id, c]));

    const wb = new ExcelJS.Workbook();
    wb.creator = '师培';
    const ws = wb.addWorksheet('花名册', { views: [{ state: 'frozen', ySplit: 2 }] });
    const headers = [
      '序号',
      '姓名',
      '性别',
      '身份证号',
      '手机号',
      '县区',
      '学校',
      '学段',
      '学科',
      '职称',
      '骨干教师',
      '班级',
      '状态',
    ];
    ws.mergeCells(1, 1, 1, headers.length);
    ws.getCell(1, 1).value = `${program.title} 花名册`;
    ws.getCell(1, 1).font = { bold: true, size: 14 };
    ws.getCell(1, 1).alignment = { horizontal: 'center' };
    ws.addRow(headers).font = { bold: true };
    rows.forEach((e, i) => {
      const t = teachers.get(e.teacherId)!;
      const row = ws.addRow([
        i + 1,
        safe(t.name),
        t.gender === 'F' ? '女' : '男',
        maskIdNumber(t.idNumber),
        maskPhone(t.phone),
        safe(orgs.get(t.countyId)?.name),
        safe(orgs.get(t.schoolId)?.name),
        safe(t.stage),
        safe(t.subject),
        safe(t.title),
        BACKBONE_LABELS[t.backboneLevel as BackboneLevel] ?? '',
        safe(e.cohortId ? cohorts.get(e.cohortId)?.name : ''),
        ENROLMENT_STATUS_LABELS[e.status],
      ]);
      for (const c of [4, 5]) row.getCell(c).numFmt = '@';
    });
    ws.getColumn(4).numFmt = '@';
    ws.getColumn(5).numFmt = '@';
    [6, 10, 6, 22, 14, 14, 28, 8, 8, 12, 10, 16, 10].forEach((w, i) => (ws.getColumn(i + 1).width = w));
    const body = Buffer.from(await wb.xlsx.writeBuffer());
    return { filename: `${program.title}-花名册.xlsx`, body };
  }

  /**
   * Per county: quota, nominated (holding a quota seat), waitlisted, approved (incl. confirmed and
   * finished), confirmed (incl. finished), completed, and the side exits. A county admin sees its
   * own county's row of a city program; the owner and the city see every county.
   */
  async figures(em: EntityManager, actor: Actor, programId: number): Promise<ProgramFiguresDto> {
    const program = await this.access.load<Program>(em, actor, PROGRAM_KIND, programId);
    const counts = await this.access
      .query<Enrolment>(em, actor, ENROLMENT_KIND, 'e')
      .select(['e.countyId AS countyId', 'e.status AS status', 'COUNT(*) AS n'])
      .andWhere('e.programId = :programId', { programId })
      .groupBy('e.countyId')
      .addGroupBy('e.status')
      .getRawMany<{ countyId: number; status: EnrolmentStatus; n: number | string }>();
    const quotaQb = em.createQueryBuilder(CountyQuota, 'q').where('q.programId = :programId', { programId });
    if (!seesAllQuotas(actor, program)) quotaQb.andWhere('q.countyId = :own', { own: ownQuotaCounty(actor) });
    const quotas = await quotaQb.getMany();
    const countyIds = [...new Set([...quotas.map((q) => q.countyId), ...counts.map((c) => Number(c.countyId))])];
    const counties = new Map(
      (countyIds.length ? await em.find(Organisation, { where: { id: In(countyIds) } }) : []).map((c) => [c.id, c]),
    );

    const blank = (countyId: number): CountyFiguresDto => ({
      countyId,
      countyCode: counties.get(countyId)?.code ?? null,
      countyName: counties.get(countyId)?.name ?? '',
      quota: 0,
      nominated: 0,
      waitlisted: 0,
      approved: 0,
      confirmed: 0,
      completed: 0,
      rejected: 0,
      withdrawn: 0,
      declined: 0,
    });
    const by = new Map<number, CountyFiguresDto>(countyIds.map((id) => [id, blank(id)]));
    for (const q of quotas) by.get(q.countyId)!.quota = q.seats;
    for (const c of counts) {
      const f = by.get(Number(c.countyId))!;
      const n = Number(c.n);
      if (SEAT_HOLDING.includes(c.status)) f.nominated += n;
      if (APPROVED_SEAT_HOLDING.includes(c.status)) f.approved += n;
      if (CONFIRMED_LIKE.includes(c.status)) f.confirmed += n;
      if (c.status === 'COMPLETED') f.completed += n;
      if (c.status === 'WAITLISTED') f.waitlisted += n;
      if (c.status === 'REJECTED') f.rejected += n;
      if (c.status === 'WITHDRAWN') f.withdrawn += n;
      if (c.status === 'DECLINED') f.declined += n;
    }
    const list = [...by.values()].sort(
      (a, b) => (a.countyCode ?? '').localeCompare(b.countyCode ?? '') || a.countyId - b.countyId,
    );
    const total = blank(0);
    total.countyName = '合计';
    for (const f of list)
      for (const k of [
        'quota',
        'nominated',
        'waitlisted',
        'approved',
        'confirmed',
        'completed',
        'rejected',
        'withdrawn',
        'declined',
      ] as const)
        total[k] += f[k];
    return { programId, seats: program.seats, approvedCount: program.approvedCount, counties: list, total };
  }
}

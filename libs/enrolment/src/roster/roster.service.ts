import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { AccessPolicy, Actor, keysetRows, streamToBuffer, streamXlsx, TableCell, TableColumn } from '@shipei/core';
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

/** Enrolments read per query while a roster streams: small, as REGISTER_BATCH (certificates) says why. */
export const ROSTER_BATCH = 200;

/** 身份证号 and 手机号 are text cells; every string is escaped against formula injection. */
const ROSTER_COLUMNS: TableColumn[] = [
  { header: '序号', width: 6 },
  { header: '姓名', width: 10 },
  { header: '性别', width: 6 },
  { header: '身份证号', width: 22, kind: 'text' },
  { header: '手机号', width: 14, kind: 'text' },
  { header: '县区', width: 14 },
  { header: '学校', width: 28 },
  { header: '学段', width: 8 },
  { header: '学科', width: 8 },
  { header: '职称', width: 12 },
  { header: '骨干教师', width: 10 },
  { header: '班级', width: 16 },
  { header: '状态', width: 10 },
];

/** A roster written while it is read (see streamXlsx). */
export interface XlsxDownload {
  filename: string;
  stream: Readable;
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
    const filtered = () => {
      const qb = this.access
        .query<Enrolment>(em, actor, ENROLMENT_KIND, 'e')
        .andWhere('e.programId = :programId', { programId });
      if (q.countyId) qb.andWhere('e.countyId = :countyId', { countyId: q.countyId });
      if (q.status) qb.andWhere('e.status = :status', { status: q.status });
      if (q.cohortId === 0) qb.andWhere('e.cohortId IS NULL');
      else if (q.cohortId) qb.andWhere('e.cohortId = :cohortId', { cohortId: q.cohortId });
      return qb;
    };
    const cohorts = new Map((await em.find(Cohort, { where: { programId } })).map((c) => [c.id, c]));
    const orgs = new Map<number, Organisation>();
    let n = 0;
    const toRows = async (batch: Enrolment[]): Promise<TableCell[][]> => {
      const teachers = new Map(
        (await em.find(Teacher, { where: { id: In(batch.map((e) => e.teacherId)) } })).map((t) => [t.id, t]),
      );
      const missing = [...new Set([...teachers.values()].flatMap((t) => [t.schoolId, t.countyId]))].filter(
        (id) => !orgs.has(id),
      );
      if (missing.length)
        for (const o of await em.find(Organisation, { where: { id: In(missing) }, select: { id: true, name: true } }))
          orgs.set(o.id, o);
      return batch.map((e) => {
        const t = teachers.get(e.teacherId)!;
        return [
          ++n,
          t.name,
          t.gender === 'F' ? '女' : '男',
          maskIdNumber(t.idNumber),
          maskPhone(t.phone),
          orgs.get(t.countyId)?.name ?? '',
          orgs.get(t.schoolId)?.name ?? '',
          t.stage ?? '',
          t.subject ?? '',
          t.title ?? '',
          BACKBONE_LABELS[t.backboneLevel as BackboneLevel] ?? '',
          (e.cohortId ? cohorts.get(e.cohortId)?.name : '') ?? '',
          ENROLMENT_STATUS_LABELS[e.status],
        ];
      });
    };
    // County by county, each read by keyset on id: ordered as (countyId, id) and served by the
    // (programId, countyId, …) index, one batch in memory however large the program.
    async function* rows(): AsyncGenerator<TableCell[]> {
      const counties = await filtered()
        .select('e.countyId', 'countyId')
        .distinct(true)
        .orderBy('e.countyId', 'ASC')
        .getRawMany<{ countyId: number | string }>();
      for (const { countyId } of counties)
        yield* keysetRows(
          ROSTER_BATCH,
          (after: Enrolment | undefined) =>
            filtered()
              .andWhere('e.countyId = :rosterCounty', { rosterCounty: Number(countyId) })
              .andWhere('e.id > :afterId', { afterId: after?.id ?? 0 })
              .orderBy('e.id', 'ASC')
              .limit(ROSTER_BATCH)
              .getMany(),
          toRows,
        );
    }
    const stream = streamXlsx({ name: '花名册', title: `${program.title} 花名册`, columns: ROSTER_COLUMNS }, rows(), {
      date: () => program.updatedAt, // from the data: the same roster gives the same file
      label: 'Roster',
    });
    return { filename: `${program.title}-花名册.xlsx`, stream };
  }

  /** The roster as bytes, for an archive of one cohort (a few hundred rows at most). */
  async rosterFile(
    em: EntityManager,
    actor: Actor,
    programId: number,
    q: RosterQuery,
  ): Promise<{ filename: string; body: Buffer }> {
    const file = await this.roster(em, actor, programId, q);
    return { filename: file.filename, body: await streamToBuffer(file.stream) };
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

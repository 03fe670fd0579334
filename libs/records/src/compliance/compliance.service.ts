import { PassThrough } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import {
  AccessPolicy,
  Actor,
  AppConfig,
  BadInputError,
  Clock,
  NotFoundError,
  pageOf,
  shanghaiDate,
} from '@shipei/core';
import { Enrolment } from '@shipei/enrolment';
import { actsForCounty, maskIdNumber, Organisation, overseesAllCounties, Teacher, TEACHER_KIND } from '@shipei/people';
import { Cohort } from '@shipei/programs';
import * as ExcelJS from 'exceljs';
import { EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { cycleStartOf, cyclePeriod, Period, REQUIREMENT_NOTE, yearPeriod } from '../credits/credit-rules';
import { ExternalCredit } from '../external-credits/external-credit.entity';
import { attachment, chunks, decimalValue, Download, round1, safeCellText, XLSX_MIME } from '../shared/files';
import {
  ComplianceExportQuery,
  ComplianceListDto,
  CompliancePeriodDto,
  ComplianceQuery,
  ComplianceSummaryDto,
  ComplianceSummaryRowDto,
  ShortfallDto,
} from './dto/compliance.dto';

type Filters = Omit<ComplianceQuery, 'page' | 'pageSize' | 'offset'>;
type Raw = Record<string, unknown>;

/** A teacher's credits in the period: completed enrolments by their cohort's end date, plus external credits by date. */
const CREDITS = 'ROUND(COALESCE(ie.h, 0) + COALESCE(xe.h, 0), 1)';
/** Completed enrolments (by their cohort's end date) and external credits (by date) in the period, one row per credit. */
const PERIOD_CREDITS =
  "SELECT e.teacherId AS teacherId, e.creditHours AS h FROM enrolment e WHERE e.status = 'COMPLETED' AND e.cohortId IN (SELECT c.id FROM cohort c WHERE c.endDate BETWEEN :pFrom AND :pTo)" +
  ' UNION ALL SELECT x.teacherId AS teacherId, x.hours AS h FROM external_credit x WHERE x.creditDate BETWEEN :pFrom AND :pTo';

/** The teachers (any county) whose credits in the period reach `:required`. */
export const MET_SQL = `SELECT u.teacherId FROM (${PERIOD_CREDITS}) u GROUP BY u.teacherId HAVING ROUND(SUM(u.h), 1) >= :required`;

/** The period's credits of some teachers (`:...ids`). */
const PAGE_CREDITS_SQL =
  "SELECT u.teacherId AS teacherId, SUM(u.h) AS h FROM (SELECT e.teacherId AS teacherId, e.creditHours AS h FROM enrolment e WHERE e.teacherId IN (:...ids) AND e.status = 'COMPLETED' AND e.cohortId IN (SELECT c.id FROM cohort c WHERE c.endDate BETWEEN :pFrom AND :pTo)" +
  ' UNION ALL SELECT x.teacherId AS teacherId, x.hours AS h FROM external_credit x WHERE x.teacherId IN (:...ids) AND x.creditDate BETWEEN :pFrom AND :pTo) u GROUP BY u.teacherId';

/** Teachers read per query while streaming the export (keyset on school, id). */
const EXPORT_BATCH = 5000;

/**
 * 学时达标名单 (spec §8): the teachers of a county or school whose credit hours in a calendar year
 * (≥ 48) or a five-year cycle (≥ 360) fall short, with how many they miss. The city sees every
 * county; a county admin only its own (another county's id is 404). The list is paginated; the
 * .xlsx export holds every row plus a per-school summary.
 */
@Injectable()
export class ComplianceService {
  private readonly logger = new Logger('CreditCompliance');

  constructor(
    @InjectEntityManager() private readonly em: EntityManager,
    private readonly access: AccessPolicy,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** The year or cycle asked for (default: the current year), checked against the configured cycles. */
  period(q: Pick<Filters, 'year' | 'cycle'>): CompliancePeriodDto & Period {
    if (q.year !== undefined && q.cycle !== undefined) {
      throw new BadInputError('PERIOD_AMBIGUOUS', '年度（year）与周期（cycle）只能指定一个', {
        errors: [{ field: 'cycle', message: '年度与周期只能指定一个' }],
      });
    }
    const start = this.config.creditCycleStartYear;
    if (q.cycle !== undefined) {
      if (cycleStartOf(q.cycle, start) !== q.cycle) {
        const message = `周期应以起始年表示，如 ${start}（${start}–${start + 4}）、${start + 5}（${start + 5}–${start + 9}）`;
        throw new BadInputError('INVALID_CYCLE', message, { errors: [{ field: 'cycle', message }] });
      }
      return { kind: 'CYCLE', ...cyclePeriod(q.cycle) };
    }
    const year = q.year ?? Number(shanghaiDate(this.clock.now()).slice(0, 4));
    return { kind: 'YEAR', ...yearPeriod(year) };
  }

  /** The teachers the actor may list, narrowed to the county / school asked for (404 outside the actor's reach). */
  private async teachers(em: EntityManager, actor: Actor, q: Filters): Promise<SelectQueryBuilder<Teacher>> {
    if (q.countyId !== undefined) {
      const county = await em.findOne(Organisation, {
        where: { id: q.countyId, type: 'COUNTY' },
        select: { id: true },
      });
      if (!county || !actsForCounty(actor, county.id)) throw new NotFoundError('县区');
    }
    if (q.schoolId !== undefined) {
      const school = await em.findOne(Organisation, {
        where: { id: q.schoolId, type: 'SCHOOL' },
        select: { id: true, countyId: true },
      });
      if (!school || !actsForCounty(actor, school.countyId)) throw new NotFoundError('学校');
    }
    const qb = this.access.query<Teacher>(em, actor, TEACHER_KIND, 't');
    if (q.countyId !== undefined) qb.andWhere('t.countyId = :countyId', { countyId: q.countyId });
    if (q.schoolId !== undefined) qb.andWhere('t.schoolId = :schoolId', { schoolId: q.schoolId });
    return qb;
  }

  /**
   * Joins each teacher's credits in the period as `ie.h` (internal) and `xe.h` (external). The
   * internal sum starts from the period's cohorts (`cohortId IN (…)`, served by idx_enrolment_cohort):
   * a year's completions are a small part of all enrolments, and SQLite would otherwise walk every
   * enrolment in teacher order to group them.
   */
  private withCredits(qb: SelectQueryBuilder<Teacher>, period: Period): SelectQueryBuilder<Teacher> {
    return qb
      .leftJoin((sub) => this.internalCredits(sub, period), 'ie', 'ie.teacherId = t.id')
      .leftJoin((sub) => this.externalCredits(sub, period), 'xe', 'xe.teacherId = t.id');
  }

  /** Completed enrolments' credit hours per teacher, for cohorts that ended in the period. */
  private internalCredits(sub: SelectQueryBuilder<any>, period: Period): SelectQueryBuilder<any> {
    const cohorts = sub
      .subQuery()
      .select('c.id')
      .from(Cohort, 'c')
      .where('c.endDate BETWEEN :pFrom AND :pTo')
      .getQuery();
    return sub
      .select('e.teacherId', 'teacherId')
      .addSelect('SUM(e.creditHours)', 'h')
      .from(Enrolment, 'e')
      .where('e.status = :completed', { completed: 'COMPLETED' })
      .andWhere(`e.cohortId IN ${cohorts}`, { pFrom: period.from, pTo: period.to })
      .groupBy('e.teacherId');
  }

  /** External credit hours per teacher dated in the period. */
  private externalCredits(sub: SelectQueryBuilder<any>, period: Period): SelectQueryBuilder<any> {
    return sub
      .select('x.teacherId', 'teacherId')
      .addSelect('SUM(x.hours)', 'h')
      .from(ExternalCredit, 'x')
      .where('x.creditDate BETWEEN :pFrom AND :pTo', { pFrom: period.from, pTo: period.to })
      .groupBy('x.teacherId');
  }

  /**
   * One page of the short list and its total. Computed from the other side: the teachers who MEET
   * the requirement in the period are few (they need a year's or a cycle's worth of training), so
   * their set ({@link MET_SQL}) is summed once from the period's completions and external credits,
   * and the short teachers are the ones in scope not in it: the page is an indexed walk of the
   * teacher table that stops after the page, the total is the teachers in scope (an index count)
   * minus those of them in the set, instead of summing credits for every one of a bureau's 100,000
   * teachers on each request. The page's own credits are then summed for its (≤ 200) teachers.
   */
  async list(actor: Actor, q: ComplianceQuery): Promise<ComplianceListDto> {
    const em = this.em;
    const period = this.period(q);
    const params = { pFrom: period.from, pTo: period.to, required: period.required };
    const scoped = await this.teachers(em, actor, q);
    const [rows, all, met] = await Promise.all([
      scoped
        .clone()
        .andWhere(`t.id NOT IN (${MET_SQL})`, params)
        .select([
          't.id AS id',
          't.name AS name',
          't.idNumber AS idNumber',
          't.countyId AS countyId',
          't.schoolId AS schoolId',
        ])
        .orderBy('t.id', 'ASC')
        .offset(q.offset)
        .limit(q.pageSize)
        .getRawMany<Raw>(),
      scoped.clone().select('COUNT(*)', 'n').getRawOne<{ n: number | string }>(),
      scoped
        .clone()
        .andWhere(`t.id IN (${MET_SQL})`, params)
        .select('COUNT(*)', 'n')
        .getRawOne<{ n: number | string }>(),
    ]);
    const total = Number(all?.n ?? 0) - Number(met?.n ?? 0);
    const ids = rows.map((r) => Number(r.id));
    const [credits, names] = await Promise.all([
      this.creditsOf(em, ids, period),
      this.names(
        em,
        rows.flatMap((r) => [Number(r.countyId), Number(r.schoolId)]),
      ),
    ]);
    const items = rows.map((r) => this.shortfall({ ...r, credits: credits.get(Number(r.id)) ?? 0 }, period, names));
    return { period: this.periodDto(period), ...pageOf(items, total, q) };
  }

  /** The credits in the period of the given teachers (a page of them). */
  private async creditsOf(em: EntityManager, ids: number[], period: Period): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    if (!ids.length) return out;
    const [sql, parameters] = em.connection.driver.escapeQueryWithParameters(PAGE_CREDITS_SQL, {
      pFrom: period.from,
      pTo: period.to,
      ids,
    });
    for (const r of await em.query<Raw[]>(sql, parameters)) out.set(Number(r.teacherId), decimalValue(r.h) ?? 0);
    return out;
  }

  /** Per county (the city, no county given) or per school: teachers, how many fall short, hours missing. */
  async summary(actor: Actor, q: ComplianceExportQuery): Promise<ComplianceSummaryDto> {
    const em = this.em;
    const period = this.period(q);
    const by = overseesAllCounties(actor) && q.countyId === undefined && q.schoolId === undefined ? 'COUNTY' : 'SCHOOL';
    const column = by === 'COUNTY' ? 't.countyId' : 't.schoolId';
    const rows = await this.withCredits(await this.teachers(em, actor, q), period)
      .select(column, 'orgId')
      .addSelect('COUNT(*)', 'teachers')
      .addSelect(`SUM(CASE WHEN ${CREDITS} < :required THEN 1 ELSE 0 END)`, 'short')
      .addSelect(`SUM(CASE WHEN ${CREDITS} < :required THEN :required - ${CREDITS} ELSE 0 END)`, 'missing')
      .setParameter('required', period.required)
      .groupBy(column)
      .getRawMany<Raw>();
    const names = await this.names(
      em,
      rows.map((r) => Number(r.orgId)),
    );
    const out: ComplianceSummaryRowDto[] = rows
      .map((r) => ({
        organisationId: Number(r.orgId),
        name: names.get(Number(r.orgId)) ?? '',
        teachers: Number(r.teachers),
        short: Number(r.short ?? 0),
        shortfallHours: round1(decimalValue(r.missing) ?? 0),
      }))
      .sort((a, b) => a.organisationId - b.organisationId);
    return { period: this.periodDto(period), by, rows: out };
  }

  /**
   * Every short teacher as .xlsx (sheet 未达标教师, ordered by school), with a per-school summary
   * (sheet 按学校汇总). Streamed: the period's credits are summed once, the teachers are read in
   * batches and written as they come, so a 100,000-teacher bureau never sits in memory.
   */
  async export(actor: Actor, q: ComplianceExportQuery): Promise<Download<PassThrough>> {
    const em = this.em;
    const period = this.period(q);
    const base = await this.teachers(em, actor, q);
    const out = new PassThrough();
    const write = async () => {
      const credits = await this.creditsByTeacher(em, period);
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
      wb.creator = '师培';
      const ws = wb.addWorksheet('未达标教师', { views: [{ state: 'frozen', ySplit: 3 }] });
      const headers = ['序号', '姓名', '身份证号', '县区', '学校', '已获学时', '要求学时', '差额'];
      [6, 12, 22, 16, 28, 10, 10, 10].forEach((w, i) => (ws.getColumn(i + 1).width = w));
      ws.getColumn(3).numFmt = '@';
      ws.mergeCells(1, 1, 1, headers.length);
      ws.getCell(1, 1).value = `${period.label}教师培训学时未达标名单（要求 ${period.required} 学时）`;
      ws.getCell(1, 1).font = { bold: true, size: 14 };
      ws.getRow(1).commit();
      ws.mergeCells(2, 1, 2, headers.length);
      ws.getCell(2, 1).value =
        `${REQUIREMENT_NOTE}。统计期间 ${period.from} 至 ${period.to}；系统内培训按班级结束日期计入，校外培训按培训日期计入。`;
      ws.getRow(2).commit();
      const head = ws.getRow(3);
      head.values = headers;
      head.font = { bold: true };
      head.commit();

      const names = new Map<number, string>();
      const perSchool = new Map<number, { countyId: number; teachers: number; short: number; missing: number }>();
      let n = 0;
      let after: { schoolId: number; id: number } | null = null;
      for (;;) {
        const qb = base.clone().select(['t.id', 't.name', 't.idNumber', 't.countyId', 't.schoolId']);
        if (after)
          qb.andWhere('(t.schoolId > :aSchool OR (t.schoolId = :aSchool AND t.id > :aId))', {
            aSchool: after.schoolId,
            aId: after.id,
          });
        const batch = await qb.orderBy('t.schoolId', 'ASC').addOrderBy('t.id', 'ASC').limit(EXPORT_BATCH).getMany();
        if (!batch.length) break;
        const missingNames = [...new Set(batch.flatMap((t) => [t.countyId, t.schoolId]))].filter(
          (id) => !names.has(id),
        );
        for (const [id, name] of await this.names(em, missingNames)) names.set(id, name);
        for (const t of batch) {
          const got = round1(credits.get(t.id) ?? 0);
          const s = perSchool.get(t.schoolId) ?? { countyId: t.countyId, teachers: 0, short: 0, missing: 0 };
          s.teachers++;
          if (got < period.required) {
            s.short++;
            s.missing += period.required - got;
            ws.addRow([
              ++n,
              safeCellText(t.name),
              maskIdNumber(t.idNumber),
              safeCellText(names.get(t.countyId)),
              safeCellText(names.get(t.schoolId)),
              got,
              period.required,
              round1(period.required - got),
            ]).commit();
          }
          perSchool.set(t.schoolId, s);
        }
        const last = batch[batch.length - 1];
        after = { schoolId: last.schoolId, id: last.id };
        if (batch.length < EXPORT_BATCH) break;
      }
      ws.commit();

      const sum = wb.addWorksheet('按学校汇总', { views: [{ state: 'frozen', ySplit: 1 }] });
      [16, 28, 10, 12, 14, 14].forEach((w, i) => (sum.getColumn(i + 1).width = w));
      sum.getRow(1).values = ['县区', '学校', '教师数', '未达标人数', '未达标比例', '所差学时合计'];
      sum.getRow(1).font = { bold: true };
      sum.getRow(1).commit();
      for (const [schoolId, s] of perSchool) {
        const row = sum.addRow([
          safeCellText(names.get(s.countyId)),
          safeCellText(names.get(schoolId)),
          s.teachers,
          s.short,
          s.teachers ? s.short / s.teachers : 0,
          round1(s.missing),
        ]);
        row.getCell(5).numFmt = '0.00%';
        row.commit();
      }
      sum.commit();
      await wb.commit();
    };
    write().catch((e: unknown) => {
      this.logger.error({ err: { message: (e as Error).message } }, 'Compliance export failed');
      out.destroy(e as Error);
    });
    const tag =
      period.kind === 'YEAR' ? period.from.slice(0, 4) : `${period.from.slice(0, 4)}-${period.to.slice(0, 4)}`;
    return {
      body: out,
      type: XLSX_MIME,
      disposition: attachment(`credit-compliance-${tag}.xlsx`, `学时未达标名单-${period.label}.xlsx`),
    };
  }

  /** Every teacher's credits in the period (only teachers with any), summed once for the export. */
  private async creditsByTeacher(em: EntityManager, period: Period): Promise<Map<number, number>> {
    const [internal, external] = await Promise.all([
      this.internalCredits(em.createQueryBuilder(), period).getRawMany<Raw>(),
      this.externalCredits(em.createQueryBuilder(), period).getRawMany<Raw>(),
    ]);
    const credits = new Map<number, number>();
    for (const r of [...internal, ...external])
      credits.set(Number(r.teacherId), (credits.get(Number(r.teacherId)) ?? 0) + (decimalValue(r.h) ?? 0));
    return credits;
  }

  private async names(em: EntityManager, ids: number[]): Promise<Map<number, string>> {
    const names = new Map<number, string>();
    for (const part of chunks([...new Set(ids)])) {
      for (const o of await em.find(Organisation, { where: { id: In(part) }, select: { id: true, name: true } }))
        names.set(o.id, o.name);
    }
    return names;
  }

  private shortfall(r: Raw, period: Period, names: Map<number, string>): ShortfallDto {
    const credits = round1(decimalValue(r.credits) ?? 0);
    return {
      teacherId: Number(r.id),
      name: String(r.name),
      idNumber: maskIdNumber(String(r.idNumber)),
      countyId: Number(r.countyId),
      countyName: names.get(Number(r.countyId)) ?? '',
      schoolId: Number(r.schoolId),
      schoolName: names.get(Number(r.schoolId)) ?? '',
      credits,
      required: period.required,
      shortfall: round1(period.required - credits),
    };
  }

  private periodDto(p: CompliancePeriodDto & Period): CompliancePeriodDto {
    return { kind: p.kind, label: p.label, from: p.from, to: p.to, required: p.required };
  }
}

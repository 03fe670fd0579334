import { PassThrough } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { Clock } from '@shipei/attendance';
import { AccessPolicy, Actor, AppConfig, BadInputError, NotFoundError, pageOf } from '@shipei/core';
import { Enrolment } from '@shipei/enrolment';
import { maskIdNumber, Organisation, Teacher } from '@shipei/people';
import { Cohort } from '@shipei/programs';
import * as ExcelJS from 'exceljs';
import { EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { cycleStartOf, cyclePeriod, Period, REQUIREMENT_NOTE, yearPeriod } from '../credits/credit-rules';
import { ExternalCredit } from '../external-credits/external-credit.entity';
import { attachment, chunks, decimalValue, Download, round1, safeCellText, shanghaiDate, XLSX_MIME } from '../shared/files';
import { ComplianceExportQuery, ComplianceListDto, CompliancePeriodDto, ComplianceQuery, ComplianceSummaryDto, ComplianceSummaryRowDto, ShortfallDto } from './dto/compliance.dto';

type Filters = Omit<ComplianceQuery, 'page' | 'pageSize' | 'offset'>;
type Raw = Record<string, unknown>;

/** A teacher's credits in the period: completed enrolments by their cohort's end date, plus external credits by date. */
const CREDITS = 'ROUND(COALESCE(ie.h, 0) + COALESCE(xe.h, 0), 1)';
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
      throw new BadInputError('PERIOD_AMBIGUOUS', '年度（year）与周期（cycle）只能指定一个', { errors: [{ field: 'cycle', message: '年度与周期只能指定一个' }] });
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
      const county = await em.findOne(Organisation, { where: { id: q.countyId, type: 'COUNTY' }, select: { id: true } });
      if (!county || (actor.role !== 'CITY_ADMIN' && county.id !== actor.countyId)) throw new NotFoundError('县区');
    }
    if (q.schoolId !== undefined) {
      const school = await em.findOne(Organisation, { where: { id: q.schoolId, type: 'SCHOOL' }, select: { id: true, countyId: true } });
      if (!school || (actor.role !== 'CITY_ADMIN' && school.countyId !== actor.countyId)) throw new NotFoundError('学校');
    }
    const qb = this.access.query<Teacher>(em, actor, 'teacher', 't');
    if (q.countyId !== undefined) qb.andWhere('t.countyId = :countyId', { countyId: q.countyId });
    if (q.schoolId !== undefined) qb.andWhere('t.schoolId = :schoolId', { schoolId: q.schoolId });
    return qb;
  }

  /** Joins each teacher's credits in the period as `ie.h` (internal) and `xe.h` (external). */
  private withCredits(qb: SelectQueryBuilder<Teacher>, period: Period): SelectQueryBuilder<Teacher> {
    const range = { pFrom: period.from, pTo: period.to };
    return qb
      .leftJoin(
        (sub) =>
          sub
            .select('e.teacherId', 'teacherId')
            .addSelect('SUM(e.creditHours)', 'h')
            .from(Enrolment, 'e')
            .innerJoin(Cohort, 'c', 'c.id = e.cohortId')
            .where('e.status = :completed', { completed: 'COMPLETED' })
            .andWhere('c.endDate BETWEEN :pFrom AND :pTo', range)
            .groupBy('e.teacherId'),
        'ie',
        'ie.teacherId = t.id',
      )
      .leftJoin(
        (sub) => sub.select('x.teacherId', 'teacherId').addSelect('SUM(x.hours)', 'h').from(ExternalCredit, 'x').where('x.creditDate BETWEEN :pFrom AND :pTo', range).groupBy('x.teacherId'),
        'xe',
        'xe.teacherId = t.id',
      );
  }

  async list(actor: Actor, q: ComplianceQuery): Promise<ComplianceListDto> {
    const em = this.em;
    const period = this.period(q);
    const short = this.withCredits(await this.teachers(em, actor, q), period).andWhere(`${CREDITS} < :required`, { required: period.required });
    const [rows, count] = await Promise.all([
      short
        .clone()
        .select('t.id', 'id')
        .addSelect('t.name', 'name')
        .addSelect('t.idNumber', 'idNumber')
        .addSelect('t.countyId', 'countyId')
        .addSelect('t.schoolId', 'schoolId')
        .addSelect(CREDITS, 'credits')
        .orderBy('t.id', 'ASC')
        .offset(q.offset)
        .limit(q.pageSize)
        .getRawMany<Raw>(),
      short.clone().select('COUNT(*)', 'n').getRawOne<{ n: number | string }>(),
    ]);
    const names = await this.names(em, rows.flatMap((r) => [Number(r.countyId), Number(r.schoolId)]));
    return { period: this.periodDto(period), ...pageOf(rows.map((r) => this.shortfall(r, period, names)), Number(count?.n ?? 0), q) };
  }

  /** Per county (the city, no county given) or per school: teachers, how many fall short, hours missing. */
  async summary(actor: Actor, q: ComplianceExportQuery): Promise<ComplianceSummaryDto> {
    const em = this.em;
    const period = this.period(q);
    const by = actor.role === 'CITY_ADMIN' && q.countyId === undefined && q.schoolId === undefined ? 'COUNTY' : 'SCHOOL';
    const column = by === 'COUNTY' ? 't.countyId' : 't.schoolId';
    const rows = await this.withCredits(await this.teachers(em, actor, q), period)
      .select(column, 'orgId')
      .addSelect('COUNT(*)', 'teachers')
      .addSelect(`SUM(CASE WHEN ${CREDITS} < :required THEN 1 ELSE 0 END)`, 'short')
      .addSelect(`SUM(CASE WHEN ${CREDITS} < :required THEN :required - ${CREDITS} ELSE 0 END)`, 'missing')
      .setParameter('required', period.required)
      .groupBy(column)
      .getRawMany<Raw>();
    const names = await this.names(em, rows.map((r) => Number(r.orgId)));
    const out: ComplianceSummaryRowDto[] = rows
      .map((r) => ({ organisationId: Number(r.orgId), name: names.get(Number(r.orgId)) ?? '', teachers: Number(r.teachers), short: Number(r.short ?? 0), shortfallHours: round1(decimalValue(r.missing) ?? 0) }))
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
      ws.getCell(2, 1).value = `${REQUIREMENT_NOTE}。统计期间 ${period.from} 至 ${period.to}；系统内培训按班级结束日期计入，校外培训按培训日期计入。`;
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
        if (after) qb.andWhere('(t.schoolId > :aSchool OR (t.schoolId = :aSchool AND t.id > :aId))', { aSchool: after.schoolId, aId: after.id });
        const batch = await qb.orderBy('t.schoolId', 'ASC').addOrderBy('t.id', 'ASC').limit(EXPORT_BATCH).getMany();
        if (!batch.length) break;
        const missingNames = [...new Set(batch.flatMap((t) => [t.countyId, t.schoolId]))].filter((id) => !names.has(id));
        for (const [id, name] of await this.names(em, missingNames)) names.set(id, name);
        for (const t of batch) {
          const got = round1(credits.get(t.id) ?? 0);
          const s = perSchool.get(t.schoolId) ?? { countyId: t.countyId, teachers: 0, short: 0, missing: 0 };
          s.teachers++;
          if (got < period.required) {
            s.short++;
            s.missing += period.required - got;
            ws.addRow([++n, safeCellText(t.name), maskIdNumber(t.idNumber), safeCellText(names.get(t.countyId)), safeCellText(names.get(t.schoolId)), got, period.required, round1(period.required - got)]).commit();
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
        const row = sum.addRow([safeCellText(names.get(s.countyId)), safeCellText(names.get(schoolId)), s.teachers, s.short, s.teachers ? s.short / s.teachers : 0, round1(s.missing)]);
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
    const tag = period.kind === 'YEAR' ? period.from.slice(0, 4) : `${period.from.slice(0, 4)}-${period.to.slice(0, 4)}`;
    return { body: out, type: XLSX_MIME, disposition: attachment(`credit-compliance-${tag}.xlsx`, `学时未达标名单-${period.label}.xlsx`) };
  }

  /** Every teacher's credits in the period (only teachers with any), summed once for the export. */
  private async creditsByTeacher(em: EntityManager, period: Period): Promise<Map<number, number>> {
    const range = { pFrom: period.from, pTo: period.to };
    const [internal, external] = await Promise.all([
      em
        .createQueryBuilder(Enrolment, 'e')
        .innerJoin(Cohort, 'c', 'c.id = e.cohortId')
        .select('e.teacherId', 'teacherId')
        .addSelect('SUM(e.creditHours)', 'h')
        .where('e.status = :completed', { completed: 'COMPLETED' })
        .andWhere('c.endDate BETWEEN :pFrom AND :pTo', range)
        .groupBy('e.teacherId')
        .getRawMany<Raw>(),
      em.createQueryBuilder(ExternalCredit, 'x').select('x.teacherId', 'teacherId').addSelect('SUM(x.hours)', 'h').where('x.creditDate BETWEEN :pFrom AND :pTo', range).groupBy('x.teacherId').getRawMany<Raw>(),
    ]);
    const credits = new Map<number, number>();
    for (const r of [...internal, ...external]) credits.set(Number(r.teacherId), (credits.get(Number(r.teacherId)) ?? 0) + (decimalValue(r.h) ?? 0));
    return credits;
  }

  private async names(em: EntityManager, ids: number[]): Promise<Map<number, string>> {
    const names = new Map<number, string>();
    for (const part of chunks([...new Set(ids)])) {
      for (const o of await em.find(Organisation, { where: { id: In(part) }, select: { id: true, name: true } })) names.set(o.id, o.name);
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

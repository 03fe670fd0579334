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
import { actsForCounty, maskIdNumber, Organisation, overseesAllCounties, Teacher, TEACHER_KIND } from '@shipei/people';
import * as ExcelJS from 'exceljs';
import { EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { cycleStartOf, cyclePeriod, Period, REQUIREMENT_NOTE, yearPeriod } from '../credits/credit-rules';
import {
  creditsPerTeacher,
  creditsPerUnit,
  CreditScope,
  metTeachers,
  periodScope,
  runSql,
  teachersInScope,
  teachersPerUnit,
} from './credit-sql';
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

/** Teachers read per query while streaming the export (keyset on id within a school). */
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
   * The maintained credit rows of the request (`credit_year` for a year, `credit_cycle` for a
   * cycle), in the county or school asked for,
   * and for a county admin always in its own county (the teacher scope of people.access, which
   * the routes' roles leave to these two: the city all, a county its own).
   */
  private creditScope(actor: Actor, q: Filters, period: CompliancePeriodDto & Period): CreditScope {
    const own = overseesAllCounties(actor) ? undefined : (actor.countyId ?? 0);
    return { ...periodScope(period), countyId: q.countyId ?? own, schoolId: q.schoolId };
  }

  /**
   * One page of the short list and its total, from the maintained per-teacher credit tables
   * (`credit_year` / `credit_cycle`, libs/people). The teachers who MEET the requirement are few (they need a
   * year's or a cycle's worth of training), and in scope they are one index range of that table
   * ({@link metTeachers}); the short teachers are the ones in scope not among them: the page is an
   * indexed walk of the teacher table that stops after the page, the total is the teachers in scope
   * (the schools' maintained counts, `teacher_count`) minus the met ones. The page's own credits are then read for its (≤ 200) teachers.
   */
  async list(actor: Actor, q: ComplianceQuery): Promise<ComplianceListDto> {
    const em = this.em;
    const period = this.period(q);
    const scoped = await this.teachers(em, actor, q);
    const scope = this.creditScope(actor, q, period);
    const met = metTeachers(scope, period.required);
    const [rows, [all], [metCount]] = await Promise.all([
      scoped
        .clone()
        .andWhere(`t.id NOT IN (${met.sql})`, met.params)
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
      runSql<{ n: number | string }>(em, teachersInScope(scope)),
      runSql<{ n: number | string }>(em, { sql: `SELECT COUNT(*) AS n FROM (${met.sql}) m`, params: met.params }),
    ]);
    const total = Number(all?.n ?? 0) - Number(metCount?.n ?? 0);
    const ids = rows.map((r) => Number(r.id));
    const [credits, names] = await Promise.all([
      this.creditsOf(em, scope, ids),
      this.names(
        em,
        rows.flatMap((r) => [Number(r.countyId), Number(r.schoolId)]),
      ),
    ]);
    const items = rows.map((r) => this.shortfall({ ...r, credits: credits.get(Number(r.id)) ?? 0 }, period, names));
    return { period: this.periodDto(period), ...pageOf(items, total, q) };
  }

  /** The credits in the period of the given teachers (a page of them): primary-key reads. */
  private async creditsOf(em: EntityManager, scope: CreditScope, ids: number[]): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    if (!ids.length) return out;
    const period = { table: scope.table, column: scope.column, key: scope.key };
    const sum = creditsPerTeacher(period, { sql: 'cy.teacherId IN (:...ids)', params: { ids } });
    for (const r of await runSql(em, sum)) out.set(Number(r.teacherId), decimalValue(r.h) ?? 0);
    return out;
  }

  /**
   * Per county (the city, no county given) or per school: teachers, how many fall short, hours
   * missing, from the maintained tables alone: the teachers per unit are the schools' counts
   * (`teacher_count`), how many of them meet the requirement and the hours of those who fall short
   * come from `credit_year` / `credit_cycle` ({@link creditsPerUnit}); no teacher row is read.
   */
  async summary(actor: Actor, q: ComplianceExportQuery): Promise<ComplianceSummaryDto> {
    const em = this.em;
    const period = this.period(q);
    const by = overseesAllCounties(actor) && q.countyId === undefined && q.schoolId === undefined ? 'COUNTY' : 'SCHOOL';
    const column = by === 'COUNTY' ? 'countyId' : 'schoolId';
    await this.teachers(em, actor, q); // 404 outside the actor's reach
    const scope = this.creditScope(actor, q, period);
    const [teachers, credits] = await Promise.all([
      runSql(em, teachersPerUnit(scope, column)),
      runSql(em, creditsPerUnit(scope, period.required, column)),
    ]);
    const perUnit = new Map(credits.map((r) => [Number(r.orgId), r]));
    const names = await this.names(
      em,
      teachers.map((r) => Number(r.orgId)),
    );
    const out: ComplianceSummaryRowDto[] = teachers
      .map((r) => {
        const organisationId = Number(r.orgId);
        const c = perUnit.get(organisationId);
        const count = Number(r.teachers);
        const short = count - Number(c?.met ?? 0);
        return {
          organisationId,
          name: names.get(organisationId) ?? '',
          teachers: count,
          short,
          shortfallHours: round1(short * period.required - (decimalValue(c?.shortHours) ?? 0)),
        };
      })
      .sort((a, b) => a.organisationId - b.organisationId);
    return { period: this.periodDto(period), by, rows: out };
  }

  /**
   * Every short teacher as .xlsx (sheet 未达标教师, ordered by school), with a per-school summary
   * (sheet 按学校汇总). Streamed school by school: the school's credits in the period are read from
   * `credit_year` / `credit_cycle` (idx_credit_*_school), its teachers in id batches (idx_teacher_school), and the
   * rows written as they come, so a county's 40,000 teachers never sit in memory and no statement
   * ranges over more than one school.
   */
  async export(actor: Actor, q: ComplianceExportQuery): Promise<Download<PassThrough>> {
    const em = this.em;
    const period = this.period(q);
    await this.teachers(em, actor, q); // 404 outside the actor's reach, before the download starts
    const scope = this.creditScope(actor, q, period);
    const out = new PassThrough();
    const write = async () => {
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
      for (const schoolId of await this.schoolsOf(em, scope)) {
        const credits = new Map<number, number>();
        for (const r of await runSql(em, creditsPerTeacher({ ...scope, schoolId })))
          credits.set(Number(r.teacherId), decimalValue(r.h) ?? 0);
        let after = 0;
        for (;;) {
          const batch = await em
            .createQueryBuilder(Teacher, 't')
            .select(['t.id', 't.name', 't.idNumber', 't.countyId', 't.schoolId'])
            .where('t.schoolId = :schoolId AND t.id > :after', { schoolId, after })
            .orderBy('t.id', 'ASC')
            .limit(EXPORT_BATCH)
            .getMany();
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
          after = batch[batch.length - 1].id;
          if (batch.length < EXPORT_BATCH) break;
        }
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

  /**
   * The schools of the export's scope, in id order (the order of the list). A teacher's school is
   * always a school of the teacher's county (TeachersService.schoolFor, the import's resolver), so
   * the scope's teachers are exactly these schools' teachers.
   */
  private async schoolsOf(em: EntityManager, scope: CreditScope): Promise<number[]> {
    const qb = em.createQueryBuilder(Organisation, 'o').select('o.id', 'id').where('o.type = :school', {
      school: 'SCHOOL',
    });
    if (scope.countyId !== undefined) qb.andWhere('o.countyId = :countyId', { countyId: scope.countyId });
    if (scope.schoolId !== undefined) qb.andWhere('o.id = :schoolId', { schoolId: scope.schoolId });
    return (await qb.orderBy('o.id', 'ASC').getRawMany<{ id: number }>()).map((r) => Number(r.id));
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

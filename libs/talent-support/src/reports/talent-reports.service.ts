import { Injectable } from '@nestjs/common';
import { AccessPolicy, Actor, Clock, shanghaiDate } from '@shipei/core';
import { EntityManager } from 'typeorm';
import { loadContext, servedRange, stipendOf, toPlacementDto } from '../placements/placement-view';
import { Placement, PlacementStatus, SERVING_STATUSES } from '../placements/placement.entity';
import { ROUNDING_NOTE } from '../schemes/dto/scheme.dto';
import { SchemeQuota } from '../schemes/scheme-quota.entity';
import { Scheme, SCHEME_KIND_LABELS } from '../schemes/scheme.entity';
import { organisationNames } from '../schemes/schemes.service';
import { inclusiveDays, prorate, termMonths } from '../stipend/proration';
import {
  SchemeDashboardCountyDto,
  SchemeDashboardDto,
  SchemeDashboardFiguresDto,
  StipendLedgerCountyDto,
  StipendLedgerDto,
  StipendLedgerRowDto,
} from './dto/report.dto';
import { buildWorkbook, SheetColumn } from './xlsx';

export interface ExportFile {
  filename: string;
  body: Buffer;
}

const STATUS_FIELD: Partial<Record<PlacementStatus, keyof SchemeDashboardFiguresDto>> = {
  NOMINATED: 'nominated',
  APPROVED: 'approved',
  IN_SERVICE: 'inService',
  COMPLETED: 'completed',
  TERMINATED: 'terminated',
  REJECTED: 'rejected',
};

function emptyFigures(places: number): SchemeDashboardFiguresDto {
  return {
    places,
    nominated: 0,
    approved: 0,
    inService: 0,
    completed: 0,
    terminated: 0,
    rejected: 0,
    stipendDueFen: 0,
  };
}

/**
 * A scheme's reports: the stipend ledger (津贴台账), the placement register (选派台账) and the
 * dashboard figures, each scoped (a county sees only its own teachers), with .xlsx exports.
 */
@Injectable()
export class TalentReportsService {
  constructor(
    private readonly access: AccessPolicy,
    private readonly clock: Clock,
  ) {}

  /** The scheme's placements the actor may see, optionally of one county, in id order. */
  private async placements(
    em: EntityManager,
    actor: Actor,
    schemeId: number,
    countyId?: number,
    statuses?: PlacementStatus[],
  ): Promise<Placement[]> {
    const qb = this.access
      .query<Placement>(em, actor, 'placement', 'p')
      .andWhere('p.schemeId = :schemeId', { schemeId });
    if (countyId) qb.andWhere('p.countyId = :countyId', { countyId });
    if (statuses) qb.andWhere('p.status IN (:...statuses)', { statuses });
    return qb.orderBy('p.countyId', 'ASC').addOrderBy('p.id', 'ASC').getMany();
  }

  /**
   * Stipend due, month by month, for every placement that has served (IN_SERVICE, COMPLETED,
   * TERMINATED), with totals per county and for the scheme. Rounding: see ROUNDING_NOTE.
   */
  async ledger(
    em: EntityManager,
    actor: Actor,
    schemeId: number,
    countyId?: number,
    today = shanghaiDate(this.clock.now()),
  ): Promise<StipendLedgerDto> {
    const scheme = await this.access.load<Scheme>(em, actor, 'scheme', schemeId);
    const rows = await this.placements(em, actor, schemeId, countyId, SERVING_STATUSES);
    const ctx = await loadContext(em, rows);
    ctx.schemes.set(scheme.id, scheme);
    const months = termMonths(scheme.termStart, scheme.termEnd);
    const monthIndex = new Map(months.map((m, i) => [m, i]));
    const zero = () => months.map(() => 0);
    const counties = new Map<number, StipendLedgerCountyDto>();
    const total = { monthsFen: zero(), placements: 0, totalFen: 0 };
    const out: StipendLedgerRowDto[] = [];
    for (const p of rows) {
      const range = servedRange(scheme, p, today);
      if (!range) continue;
      const due = prorate(scheme.stipendPerYearFen, scheme.termStart, scheme.termEnd, range.from, range.to);
      const view = toPlacementDto(p, ctx, today, due);
      out.push({
        placementId: p.id,
        teacherId: p.teacherId,
        teacherName: view.teacherName,
        teacherIdNumber: view.teacherIdNumber,
        countyId: p.countyId,
        countyName: view.countyName,
        status: p.status,
        statusLabel: view.statusLabel,
        servedFrom: range.from,
        servedTo: range.to,
        daysServed: due.daysServed,
        months: due.months,
        totalFen: due.totalFen,
      });
      let c = counties.get(p.countyId);
      if (!c)
        counties.set(
          p.countyId,
          (c = { countyId: p.countyId, countyName: view.countyName, monthsFen: zero(), placements: 0, totalFen: 0 }),
        );
      for (const m of due.months) {
        const i = monthIndex.get(m.month)!;
        c.monthsFen[i] += m.amountFen;
        total.monthsFen[i] += m.amountFen;
      }
      c.placements += 1;
      c.totalFen += due.totalFen;
      total.placements += 1;
      total.totalFen += due.totalFen;
    }
    return {
      schemeId: scheme.id,
      schemeTitle: scheme.title,
      termStart: scheme.termStart,
      termEnd: scheme.termEnd,
      daysInTerm: inclusiveDays(scheme.termStart, scheme.termEnd),
      stipendPerYearFen: scheme.stipendPerYearFen,
      rounding: ROUNDING_NOTE,
      months,
      rows: out,
      counties: [...counties.values()],
      total,
    };
  }

  async ledgerWorkbook(em: EntityManager, actor: Actor, schemeId: number, countyId?: number): Promise<ExportFile> {
    const l = await this.ledger(em, actor, schemeId, countyId);
    const monthCols: SheetColumn[] = l.months.map((m) => ({
      header: `${m.slice(0, 4)}年${Number(m.slice(5))}月（元）`,
      width: 14,
      kind: 'money',
    }));
    const detail = {
      name: '津贴明细',
      columns: [
        { header: '序号', width: 6, kind: 'int' },
        { header: '县区', width: 16, kind: 'text' },
        { header: '姓名', width: 10, kind: 'text' },
        { header: '身份证号', width: 22, kind: 'text' },
        { header: '状态', width: 10, kind: 'text' },
        { header: '服务起', width: 12, kind: 'text' },
        { header: '服务止', width: 12, kind: 'text' },
        { header: '服务天数', width: 10, kind: 'int' },
        ...monthCols,
        { header: '应发合计（元）', width: 16, kind: 'money' },
      ] as SheetColumn[],
      rows: l.rows.map((r, i) => {
        const byMonth = new Map(r.months.map((m) => [m.month, m.amountFen]));
        return [
          i + 1,
          r.countyName,
          r.teacherName,
          r.teacherIdNumber,
          r.statusLabel,
          r.servedFrom,
          r.servedTo,
          r.daysServed,
          ...l.months.map((m) => byMonth.get(m) ?? 0),
          r.totalFen,
        ];
      }),
    };
    const summary = {
      name: '县区汇总',
      columns: [
        { header: '县区', width: 18, kind: 'text' },
        { header: '人数', width: 8, kind: 'int' },
        ...monthCols,
        { header: '应发合计（元）', width: 16, kind: 'money' },
      ] as SheetColumn[],
      rows: [
        ...l.counties.map((c) => [c.countyName, c.placements, ...c.monthsFen, c.totalFen]),
        ['合计', l.total.placements, ...l.total.monthsFen, l.total.totalFen],
      ],
    };
    const note = {
      name: '说明',
      columns: [{ header: '津贴折算规则', width: 120, kind: 'text' }] as SheetColumn[],
      rows: [
        [l.schemeTitle],
        [`服务期 ${l.termStart} 至 ${l.termEnd}，共 ${l.daysInTerm} 天；每人每年津贴 ${l.stipendPerYearFen / 100} 元`],
        [l.rounding],
      ],
    };
    return {
      filename: `津贴台账-${l.schemeTitle}.xlsx`,
      body: await buildWorkbook([detail, summary, note], `${l.schemeTitle} 津贴台账`),
    };
  }

  /** The placement register (选派台账) of a scheme as .xlsx: every placement the actor may see. */
  async registerWorkbook(
    em: EntityManager,
    actor: Actor,
    schemeId: number,
    countyId?: number,
    today = shanghaiDate(this.clock.now()),
  ): Promise<ExportFile> {
    const scheme = await this.access.load<Scheme>(em, actor, 'scheme', schemeId);
    const rows = await this.placements(em, actor, schemeId, countyId);
    const ctx = await loadContext(em, rows);
    const views = rows.map((p) => toPlacementDto(p, ctx, today));
    const sheet = {
      name: '选派台账',
      columns: [
        { header: '序号', width: 6, kind: 'int' },
        { header: '派出县区', width: 16, kind: 'text' },
        { header: '姓名', width: 10, kind: 'text' },
        { header: '身份证号', width: 22, kind: 'text' },
        { header: '派出学校', width: 24, kind: 'text' },
        { header: '受援县区', width: 16, kind: 'text' },
        { header: '受援学校', width: 24, kind: 'text' },
        { header: '状态', width: 10, kind: 'text' },
        { header: '到岗日期', width: 12, kind: 'text' },
        { header: '离岗日期', width: 12, kind: 'text' },
        { header: '服务天数', width: 10, kind: 'int' },
        { header: '考核结果', width: 10, kind: 'text' },
        { header: '考核评语', width: 30, kind: 'text' },
        { header: '备注', width: 30, kind: 'text' },
        { header: '应发津贴（元）', width: 14, kind: 'money' },
      ] as SheetColumn[],
      rows: views.map((v, i) => [
        i + 1,
        v.countyName,
        v.teacherName,
        v.teacherIdNumber,
        v.homeSchoolName,
        v.receivingCountyName,
        v.receivingSchoolName,
        v.statusLabel,
        v.arrivalDate ?? '',
        v.endDate ?? '',
        v.daysServed,
        v.assessment ?? '',
        v.assessmentComment ?? '',
        v.terminationReason ?? v.rejectionReason ?? '',
        v.stipendDueFen,
      ]),
    };
    return {
      filename: `选派台账-${scheme.title}.xlsx`,
      body: await buildWorkbook([sheet], `${scheme.title} 选派台账`),
    };
  }

  /**
   * Figures per county and in total: places, placements by current status, stipend due.
   * The city sees every county with a quota or a placement; a county only itself.
   */
  async dashboard(
    em: EntityManager,
    actor: Actor,
    schemeId: number,
    today = shanghaiDate(this.clock.now()),
  ): Promise<SchemeDashboardDto> {
    const scheme = await this.access.load<Scheme>(em, actor, 'scheme', schemeId);
    const own = actor.role === 'CITY_ADMIN' ? undefined : (actor.countyId ?? -1);
    const quotas = await em.find(SchemeQuota, { where: own ? { schemeId, countyId: own } : { schemeId } });
    const counts = await this.access
      .query<Placement>(em, actor, 'placement', 'p')
      .select('p.countyId', 'countyId')
      .addSelect('p.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .andWhere('p.schemeId = :schemeId', { schemeId })
      .groupBy('p.countyId')
      .addGroupBy('p.status')
      .getRawMany();
    const serving = await this.placements(em, actor, schemeId, undefined, SERVING_STATUSES);

    const byCounty = new Map<number, SchemeDashboardCountyDto>();
    const county = (id: number) => {
      let c = byCounty.get(id);
      if (!c) byCounty.set(id, (c = { countyId: id, countyName: '', ...emptyFigures(0) }));
      return c;
    };
    for (const q of quotas) county(q.countyId).places = q.places;
    for (const r of counts) {
      const field = STATUS_FIELD[r.status as PlacementStatus];
      if (field) (county(Number(r.countyId)) as any)[field] += Number(r.n);
    }
    for (const p of serving) county(p.countyId).stipendDueFen += stipendOf(scheme, p, today).totalFen;
    const names = await organisationNames(em, [...byCounty.keys()]);
    const counties = [...byCounty.values()]
      .map((c) => ({ ...c, countyName: names.get(c.countyId) ?? '' }))
      .sort((a, b) => a.countyId - b.countyId);

    const total = emptyFigures(own ? counties.reduce((n, c) => n + c.places, 0) : scheme.places);
    for (const c of counties) {
      for (const k of [
        'nominated',
        'approved',
        'inService',
        'completed',
        'terminated',
        'rejected',
        'stipendDueFen',
      ] as const)
        total[k] += c[k];
    }
    return { schemeId: scheme.id, schemeTitle: scheme.title || SCHEME_KIND_LABELS[scheme.kind], counties, total };
  }
}

import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { AccessPolicy, Actor, Clock, keysetRows, shanghaiDate, TableCell } from '@shipei/core';
import { EntityManager } from 'typeorm';
import { itemsOf, loadContext, servedRange, toPlacementDto, tripsOf } from '../placements/placement-view';
import { Placement, PlacementStatus, SERVING_STATUSES } from '../placements/placement.entity';
import { ROUNDING_NOTE } from '../schemes/dto/scheme.dto';
import { SchemeQuota } from '../schemes/scheme-quota.entity';
import { Scheme, SCHEME_KIND_LABELS } from '../schemes/scheme.entity';
import { organisationNames, splitOf } from '../schemes/schemes.service';
import { inclusiveDays, termMonths, yuan } from '../stipend/proration';
import { stipendItems } from '../stipend/stipend-items';
import { StipendPayment } from '../stipend/stipend-payment.entity';
import {
  SchemeDashboardCountyDto,
  SchemeDashboardDto,
  SchemeDashboardFiguresDto,
  StipendItemTotalsDto,
  StipendLedgerCountyDto,
  StipendLedgerDto,
  StipendLedgerRowDto,
} from './dto/report.dto';
import { buildWorkbook, SheetColumn, streamWorkbook } from './xlsx';
import { PLACEMENT_KIND, SCHEME_KIND } from '../talent-support.access';
import { overseesAllCounties } from '@shipei/people';

export interface ExportFile {
  filename: string;
  body: Buffer;
}

/** An .xlsx written while it is read (see streamXlsx). */
export interface ExportStream {
  filename: string;
  stream: Readable;
}

/** Placements read per query while the register streams (small: see the teacher export's batch). */
const REGISTER_BATCH = 200;

const STATUS_FIELD: Partial<Record<PlacementStatus, keyof SchemeDashboardFiguresDto>> = {
  NOMINATED: 'nominated',
  APPROVED: 'approved',
  IN_SERVICE: 'inService',
  COMPLETED: 'completed',
  TERMINATED: 'terminated',
  REJECTED: 'rejected',
};

function emptyTotals(months: number) {
  return {
    monthsFen: new Array<number>(months).fill(0),
    paidMonthsFen: new Array<number>(months).fill(0),
    placements: 0,
    workFen: 0,
    travelFen: 0,
    insuranceFen: 0,
    dueFen: 0,
    paidFen: 0,
    totalFen: 0,
    standardFen: 0,
    balanceFen: 0,
  };
}

/** 实发 per placement and month for a whole scheme, in one grouped query (callers keep only the rows they may see). */
async function paymentsOf(em: EntityManager, schemeId: number): Promise<Map<number, Map<string, number>>> {
  const rows = await em
    .createQueryBuilder(StipendPayment, 'sp')
    .innerJoin(Placement, 'p', 'p.id = sp.placementId')
    .select('sp.placementId', 'placementId')
    .addSelect('sp.month', 'month')
    .addSelect('SUM(sp.amountFen)', 'fen')
    .where('p.schemeId = :schemeId', { schemeId })
    .groupBy('sp.placementId')
    .addGroupBy('sp.month')
    .getRawMany();
  const out = new Map<number, Map<string, number>>();
  for (const r of rows) {
    const id = Number(r.placementId);
    if (!out.has(id)) out.set(id, new Map());
    out.get(id)!.set(String(r.month), Number(r.fen));
  }
  return out;
}

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
      .query<Placement>(em, actor, PLACEMENT_KIND, 'p')
      .andWhere('p.schemeId = :schemeId', { schemeId });
    if (countyId) qb.andWhere('p.countyId = :countyId', { countyId });
    if (statuses) qb.andWhere('p.status IN (:...statuses)', { statuses });
    return qb.orderBy('p.countyId', 'ASC').addOrderBy('p.id', 'ASC').getMany();
  }

  /**
   * Stipend items, month by month, for every placement that has served (IN_SERVICE, COMPLETED,
   * TERMINATED): 工作补助, 交通差旅费 and 意外保险, 应发 and 实发, with totals per county and for
   * the scheme against the funding standard. Rounding: see ROUNDING_NOTE.
   */
  async ledger(
    em: EntityManager,
    actor: Actor,
    schemeId: number,
    countyId?: number,
    today = shanghaiDate(this.clock.now()),
  ): Promise<StipendLedgerDto> {
    const scheme = await this.access.load<Scheme>(em, actor, SCHEME_KIND, schemeId);
    const rows = await this.placements(em, actor, schemeId, countyId, SERVING_STATUSES);
    const ctx = await loadContext(em, rows);
    ctx.schemes.set(scheme.id, scheme);
    const paid = await paymentsOf(em, schemeId);
    const months = termMonths(scheme.termStart, scheme.termEnd);
    const monthIndex = new Map(months.map((m, i) => [m, i]));
    const counties = new Map<number, StipendLedgerCountyDto>();
    const total = emptyTotals(months.length);
    const out: StipendLedgerRowDto[] = [];
    for (const p of rows) {
      const range = servedRange(scheme, p, today);
      if (!range) continue;
      const items = stipendItems(scheme, range.from, range.to, ctx.trips.get(p.id));
      const view = toPlacementDto(p, ctx, today, items);
      const byMonth = new Map(items.months.map((m) => [m.month, { ...m, paidFen: 0 }]));
      for (const [month, fen] of paid.get(p.id) ?? []) {
        let m = byMonth.get(month);
        if (!m)
          byMonth.set(
            month,
            (m = { month, days: 0, workFen: 0, travelFen: 0, insuranceFen: 0, dueFen: 0, paidFen: 0 }),
          );
        m.paidFen += fen;
      }
      const rowMonths = [...byMonth.values()].sort(
        (a, b) => (monthIndex.get(a.month) ?? 0) - (monthIndex.get(b.month) ?? 0),
      );
      const paidFen = rowMonths.reduce((n, m) => n + m.paidFen, 0);
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
        daysServed: items.daysServed,
        months: rowMonths,
        workFen: items.workFen,
        travelFen: items.travelFen,
        insuranceFen: items.insuranceFen,
        dueFen: items.dueFen,
        paidFen,
        totalFen: items.totalFen,
      });
      let c = counties.get(p.countyId);
      if (!c)
        counties.set(
          p.countyId,
          (c = { countyId: p.countyId, countyName: view.countyName, ...emptyTotals(months.length) }),
        );
      for (const t of [c, total]) {
        for (const m of rowMonths) {
          const i = monthIndex.get(m.month);
          if (i === undefined) continue;
          t.monthsFen[i] += m.dueFen;
          t.paidMonthsFen[i] += m.paidFen;
        }
        t.placements += 1;
        t.workFen += items.workFen;
        t.travelFen += items.travelFen;
        t.insuranceFen += items.insuranceFen;
        t.dueFen += items.dueFen;
        t.paidFen += paidFen;
        t.totalFen += items.totalFen;
        t.standardFen += scheme.stipendPerYearFen;
        t.balanceFen = t.standardFen - t.totalFen;
      }
    }
    return {
      schemeId: scheme.id,
      schemeTitle: scheme.title,
      termStart: scheme.termStart,
      termEnd: scheme.termEnd,
      daysInTerm: inclusiveDays(scheme.termStart, scheme.termEnd),
      stipendPerYearFen: scheme.stipendPerYearFen,
      stipendItems: splitOf(scheme),
      rounding: ROUNDING_NOTE,
      months,
      rows: out,
      counties: [...counties.values()],
      total,
    };
  }

  async ledgerWorkbook(em: EntityManager, actor: Actor, schemeId: number, countyId?: number): Promise<ExportFile> {
    const l = await this.ledger(em, actor, schemeId, countyId);
    const monthHeader = (m: string, what: string) => `${m.slice(0, 4)}年${Number(m.slice(5))}月${what}（元）`;
    const monthCols = (what: string): SheetColumn[] =>
      l.months.map((m) => ({ header: monthHeader(m, what), width: 16, kind: 'money' }));
    const itemCols: SheetColumn[] = [
      { header: '工作补助（元）', width: 14, kind: 'money' },
      { header: '交通差旅费（元）', width: 16, kind: 'money' },
      { header: '意外保险（元，付保险公司）', width: 22, kind: 'money' },
      { header: '应发合计（元）', width: 16, kind: 'money' },
      { header: '实发合计（元）', width: 16, kind: 'money' },
      { header: '经费支出合计（元）', width: 18, kind: 'money' },
    ];
    const itemCells = (r: StipendItemTotalsDto) => [
      r.workFen,
      r.travelFen,
      r.insuranceFen,
      r.dueFen,
      r.paidFen,
      r.totalFen,
    ];
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
        ...monthCols('应发'),
        ...monthCols('实发'),
        ...itemCols,
      ] as SheetColumn[],
      rows: l.rows.map((r, i) => {
        const byMonth = new Map(r.months.map((m) => [m.month, m]));
        return [
          i + 1,
          r.countyName,
          r.teacherName,
          r.teacherIdNumber,
          r.statusLabel,
          r.servedFrom,
          r.servedTo,
          r.daysServed,
          ...l.months.map((m) => byMonth.get(m)?.dueFen ?? 0),
          ...l.months.map((m) => byMonth.get(m)?.paidFen ?? 0),
          ...itemCells(r),
        ];
      }),
    };
    const summary = {
      name: '县区汇总',
      columns: [
        { header: '县区', width: 18, kind: 'text' },
        { header: '人数', width: 8, kind: 'int' },
        ...monthCols('应发'),
        ...itemCols,
        { header: '经费标准（元）', width: 16, kind: 'money' },
        { header: '结余（元）', width: 14, kind: 'money' },
      ] as SheetColumn[],
      rows: [
        ...l.counties.map((c) => [
          c.countyName,
          c.placements,
          ...c.monthsFen,
          ...itemCells(c),
          c.standardFen,
          c.balanceFen,
        ]),
        [
          '合计',
          l.total.placements,
          ...l.total.monthsFen,
          ...itemCells(l.total),
          l.total.standardFen,
          l.total.balanceFen,
        ],
      ],
    };
    const si = l.stipendItems;
    const note = {
      name: '说明',
      columns: [{ header: '经费构成与折算规则', width: 120, kind: 'text' }] as SheetColumn[],
      rows: [
        [l.schemeTitle],
        [
          `服务期 ${l.termStart} 至 ${l.termEnd}，共 ${l.daysInTerm} 天；每人每年经费标准 ${yuan(l.stipendPerYearFen)} 元`,
        ],
        [
          `工作补助 ${yuan(si.workSubsidyFen)} 元；交通差旅费（${si.travelModeLabel}）${
            si.travelMode === 'PER_TRIP'
              ? `每次 ${yuan(si.travelFen)} 元 × ${si.travelTrips} 次`
              : `${yuan(si.travelFen)} 元`
          }；意外保险 ${yuan(si.insuranceFen)} 元（付给保险公司）`,
        ],
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
  ): Promise<ExportStream> {
    const scheme = await this.access.load<Scheme>(em, actor, SCHEME_KIND, schemeId);
    const columns: SheetColumn[] = [
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
      { header: '组团', width: 24, kind: 'text' },
      { header: '队长', width: 6, kind: 'text' },
    ];
    let n = 0;
    // By (countyId, id) as the page lists them, a batch at a time: what a row shows is loaded per batch.
    const rows = keysetRows(
      REGISTER_BATCH,
      (after: Placement | undefined) => {
        const qb = this.access
          .query<Placement>(em, actor, PLACEMENT_KIND, 'p')
          .andWhere('p.schemeId = :schemeId', { schemeId });
        if (countyId) qb.andWhere('p.countyId = :countyId', { countyId });
        if (after)
          qb.andWhere('p.countyId >= :afterCounty AND (p.countyId > :afterCounty OR p.id > :afterId)', {
            afterCounty: after.countyId,
            afterId: after.id,
          });
        return qb.orderBy('p.countyId', 'ASC').addOrderBy('p.id', 'ASC').limit(REGISTER_BATCH).getMany();
      },
      async (batch) => {
        const ctx = await loadContext(em, batch);
        return batch.map((p): TableCell[] => {
          const v = toPlacementDto(p, ctx, today);
          return [
            ++n,
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
            v.teamName ?? '',
            v.teamLeader ? '是' : '',
          ];
        });
      },
    );
    return {
      filename: `选派台账-${scheme.title}.xlsx`,
      stream: streamWorkbook('选派台账', columns, rows, `${scheme.title} 选派台账`),
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
    const scheme = await this.access.load<Scheme>(em, actor, SCHEME_KIND, schemeId);
    const own = overseesAllCounties(actor) ? undefined : (actor.countyId ?? -1);
    const quotas = await em.find(SchemeQuota, { where: own ? { schemeId, countyId: own } : { schemeId } });
    const counts = await this.access
      .query<Placement>(em, actor, PLACEMENT_KIND, 'p')
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
    const trips =
      scheme.travelMode === 'PER_TRIP'
        ? await tripsOf(
            em,
            serving.map((p) => p.id),
          )
        : new Map<number, string[]>();
    for (const p of serving) county(p.countyId).stipendDueFen += itemsOf(scheme, p, today, trips.get(p.id)).dueFen;
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

import { Injectable } from '@nestjs/common';
import {
  AccessPolicy,
  Actor,
  Clock,
  ForbiddenError,
  lockForUpdate,
  NotFoundError,
  Page,
  pageOf,
  TransactionRunner,
} from '@shipei/core';
import { AuditService } from '@shipei/audit';
import { Organisation, overseesAllCounties } from '@shipei/people';
import { EntityManager, In } from 'typeorm';
import { Placement, SERVING_STATUSES } from '../placements/placement.entity';
import { DEFAULT_RULES, RULE_KEYS, SelectionRules } from '../selection/selection-rules';
import { inclusiveDays, yuan } from '../stipend/proration';
import { StipendSplit, travelBudgetFen, workSubsidyFen } from '../stipend/stipend-items';
import { RuleDefaultsService } from './rule-defaults.service';
import { errors, fieldError } from '../talent-support.errors';
import {
  CreateSchemeDto,
  SchemeQuotaDto,
  SchemeQuotaItemDto,
  SchemeDto,
  SchemeQuery,
  SelectionRulesDto,
  StipendItemsDto,
  StipendSplitDto,
  UpdateSchemeDto,
} from './dto/scheme.dto';
import { SchemeQuota } from './scheme-quota.entity';
import { DEFAULT_STIPEND_FEN, Scheme, SCHEME_KIND_LABELS, TRAVEL_MODE_LABELS } from './scheme.entity';
import { managesSchemes, SCHEME_KIND } from '../talent-support.access';

/** Until the office sets its split, the whole standard is 工作补助 (no national split exists). */
const NO_SPLIT: StipendSplit = {
  stipendPerYearFen: DEFAULT_STIPEND_FEN,
  travelMode: 'LUMP_SUM',
  travelFen: 0,
  travelTrips: 0,
  insuranceFen: 0,
};

const MAX_TERM_DAYS = 366;

/** Where each rule is kept on the scheme row. */
const RULE_COLUMN: { [K in keyof SelectionRules]: keyof Scheme } = {
  homeNotReceiving: 'ruleHomeNotReceiving',
  minTitle: 'ruleMinTitle',
  kindergartenMinTitle: 'ruleKindergartenMinTitle',
  minBackboneLevel: 'ruleMinBackbone',
  minYearsOfService: 'ruleMinYears',
  maxAgeMale: 'ruleMaxAgeMale',
  maxAgeFemale: 'ruleMaxAgeFemale',
  appraisalsQualified: 'ruleAppraisals',
  notOnProbation: 'ruleNoProbation',
  notSpecialPost: 'ruleNoSpecialPost',
  minPutonghua: 'ruleMinPutonghua',
};

export function rulesOf(s: Scheme): SelectionRules {
  const r = {} as Record<keyof SelectionRules, unknown>;
  for (const k of RULE_KEYS) {
    const v = s[RULE_COLUMN[k]];
    // Booleans come back as 0/1 from both drivers.
    r[k] = typeof DEFAULT_RULES[k] === 'boolean' ? !!v : (v ?? null);
  }
  return r as unknown as SelectionRules;
}

/** The rules `dto` gives over `base` (a property left out keeps the base; null switches a rule off). */
export function mergeRules(base: SelectionRules, dto: SelectionRulesDto | undefined): SelectionRules {
  const r = { ...base } as Record<keyof SelectionRules, unknown>;
  if (dto) for (const k of RULE_KEYS) if (dto[k] !== undefined) r[k] = dto[k];
  return r as unknown as SelectionRules;
}

function ruleColumns(rules: SelectionRules): Partial<Scheme> {
  const out: Record<string, unknown> = {};
  for (const k of RULE_KEYS) out[RULE_COLUMN[k]] = rules[k];
  return out as Partial<Scheme>;
}

export function splitOf(s: Scheme): StipendSplitDto {
  return {
    stipendPerYearFen: s.stipendPerYearFen,
    workSubsidyFen: workSubsidyFen(s),
    travelMode: s.travelMode,
    travelModeLabel: TRAVEL_MODE_LABELS[s.travelMode] ?? s.travelMode,
    travelFen: s.travelFen,
    travelTrips: s.travelTrips,
    travelBudgetFen: travelBudgetFen(s),
    insuranceFen: s.insuranceFen,
  };
}

export function toSchemeDto(s: Scheme, allocated: number): SchemeDto {
  return {
    id: s.id,
    kind: s.kind,
    kindLabel: SCHEME_KIND_LABELS[s.kind],
    year: s.year,
    title: s.title,
    places: s.places,
    allocated,
    termStart: s.termStart,
    termEnd: s.termEnd,
    daysInTerm: inclusiveDays(s.termStart, s.termEnd),
    stipendPerYearFen: s.stipendPerYearFen,
    stipendItems: splitOf(s),
    rules: rulesOf(s),
  };
}

/** The split after `dto` over `base`; 400 when travel and insurance take more than the standard. */
function splitColumns(base: StipendSplit, dto: StipendItemsDto | undefined, standard: number): StipendSplit {
  const split: StipendSplit = {
    stipendPerYearFen: standard,
    travelMode: dto?.travelMode ?? base.travelMode,
    travelFen: dto?.travelFen ?? base.travelFen,
    travelTrips: dto?.travelTrips ?? base.travelTrips,
    insuranceFen: dto?.insuranceFen ?? base.insuranceFen,
  };
  if (split.travelMode === 'LUMP_SUM') split.travelTrips = 0;
  if (workSubsidyFen(split) < 0)
    throw fieldError(
      'STIPEND_SPLIT',
      'stipendItems',
      `交通差旅费（${yuan(travelBudgetFen(split))} 元）与意外保险（${yuan(split.insuranceFen)} 元）合计超过每人每年经费标准（${yuan(standard)} 元）`,
    );
  return split;
}

function checkTerm(termStart: string, termEnd: string): void {
  if (termEnd < termStart) throw fieldError('INVALID_TERM', 'termEnd', '服务期结束日期不能早于开始日期');
  if (inclusiveDays(termStart, termEnd) > MAX_TERM_DAYS)
    throw fieldError('INVALID_TERM', 'termEnd', `服务期为一个学年，不能超过 ${MAX_TERM_DAYS} 天`);
}

/** Schemes and their county quotas (CITY_ADMIN manages; county admins read). */
@Injectable()
export class SchemesService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly defaults: RuleDefaultsService,
  ) {}

  private requireCity(actor: Actor): void {
    if (!managesSchemes(actor)) throw new ForbiddenError();
  }

  private async allocated(em: EntityManager, schemeIds: number[]): Promise<Map<number, number>> {
    if (!schemeIds.length) return new Map();
    const rows = await em
      .createQueryBuilder(SchemeQuota, 'q')
      .select('q.schemeId', 'schemeId')
      .addSelect('SUM(q.places)', 'n')
      .where('q.schemeId IN (:...ids)', { ids: schemeIds })
      .groupBy('q.schemeId')
      .getRawMany();
    return new Map(rows.map((r) => [Number(r.schemeId), Number(r.n)]));
  }

  private async dto(em: EntityManager, s: Scheme): Promise<SchemeDto> {
    return toSchemeDto(s, (await this.allocated(em, [s.id])).get(s.id) ?? 0);
  }

  async create(actor: Actor, dto: CreateSchemeDto): Promise<SchemeDto> {
    this.requireCity(actor);
    checkTerm(dto.termStart, dto.termEnd);
    return this.tx.run(async (em) => {
      const now = this.clock.now();
      const { identifiers } = await em.insert(Scheme, {
        kind: dto.kind,
        year: dto.year,
        title: dto.title ?? `${dto.year}年${SCHEME_KIND_LABELS[dto.kind]}`,
        places: dto.places,
        termStart: dto.termStart,
        termEnd: dto.termEnd,
        ...splitColumns(NO_SPLIT, dto.stipendItems, dto.stipendPerYearFen ?? DEFAULT_STIPEND_FEN),
        ...ruleColumns(mergeRules(await this.defaults.rulesFor(em, dto.kind), dto.rules)),
        createdAt: now,
        updatedAt: now,
      });
      const id = Number(identifiers[0].id);
      await this.audit.record(em, actor, {
        action: 'create',
        entity: 'scheme',
        entityId: id,
        fields: Object.keys(dto),
      });
      return this.dto(em, await em.findOneByOrFail(Scheme, { id }));
    });
  }

  async list(em: EntityManager, actor: Actor, q: SchemeQuery): Promise<Page<SchemeDto>> {
    const qb = this.access.query<Scheme>(em, actor, SCHEME_KIND, 's');
    if (q.year) qb.andWhere('s.year = :year', { year: q.year });
    if (q.kind) qb.andWhere('s.kind = :kind', { kind: q.kind });
    const [rows, total] = await qb
      .orderBy('s.year', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .skip(q.offset)
      .take(q.pageSize)
      .getManyAndCount();
    const alloc = await this.allocated(
      em,
      rows.map((s) => s.id),
    );
    return pageOf(
      rows.map((s) => toSchemeDto(s, alloc.get(s.id) ?? 0)),
      total,
      q,
    );
  }

  async get(em: EntityManager, actor: Actor, id: number): Promise<SchemeDto> {
    return this.dto(em, await this.access.load<Scheme>(em, actor, SCHEME_KIND, id));
  }

  /** Locks the scheme row (MySQL; SQLite writes are serialised) so places and quotas change one at a time. */
  private async lockScheme(em: EntityManager, actor: Actor, id: number): Promise<Scheme> {
    await this.access.require(em, actor, SCHEME_KIND, id, 'write');
    const qb = em.createQueryBuilder(Scheme, 's').where('s.id = :id', { id });
    lockForUpdate(qb);
    const s = await qb.getOne();
    if (!s) throw new NotFoundError('人才支持计划');
    return s;
  }

  async update(actor: Actor, id: number, dto: UpdateSchemeDto): Promise<SchemeDto> {
    this.requireCity(actor);
    return this.tx.run(async (em) => {
      const s = await this.lockScheme(em, actor, id);
      const patch: Partial<Scheme> = {};
      if (dto.year !== undefined) patch.year = dto.year;
      if (dto.title !== undefined) patch.title = dto.title;
      if (dto.places !== undefined && dto.places !== s.places) {
        const sum = (await this.allocated(em, [id])).get(id) ?? 0;
        if (dto.places < sum) throw errors.placesBelowQuotas(sum);
        patch.places = dto.places;
      }
      const termStart = dto.termStart ?? s.termStart;
      const termEnd = dto.termEnd ?? s.termEnd;
      const split = splitColumns(s, dto.stipendItems, dto.stipendPerYearFen ?? s.stipendPerYearFen);
      const moneyChanged =
        termStart !== s.termStart ||
        termEnd !== s.termEnd ||
        (Object.keys(split) as (keyof StipendSplit)[]).some((k) => split[k] !== s[k]);
      if (moneyChanged) {
        checkTerm(termStart, termEnd);
        const serving = await em.count(Placement, { where: { schemeId: id, status: In(SERVING_STATUSES) } });
        if (serving) throw errors.schemeInService();
        Object.assign(patch, { termStart, termEnd }, split);
      }
      if (dto.rules) Object.assign(patch, ruleColumns(mergeRules(rulesOf(s), dto.rules)));
      if (Object.keys(patch).length) {
        await em.update(Scheme, { id }, { ...patch, updatedAt: this.clock.now() });
        await this.audit.record(em, actor, {
          action: 'update',
          entity: 'scheme',
          entityId: id,
          fields: Object.keys(patch),
        });
      }
      return this.dto(em, await em.findOneByOrFail(Scheme, { id }));
    });
  }

  async quotas(em: EntityManager, actor: Actor, id: number): Promise<SchemeQuotaDto[]> {
    await this.access.require(em, actor, SCHEME_KIND, id);
    const where = overseesAllCounties(actor) ? { schemeId: id } : { schemeId: id, countyId: actor.countyId ?? -1 };
    const rows = await em.find(SchemeQuota, { where, order: { countyId: 'ASC' } });
    return this.quotaDtos(em, rows);
  }

  private async quotaDtos(em: EntityManager, rows: SchemeQuota[]): Promise<SchemeQuotaDto[]> {
    const names = await organisationNames(
      em,
      rows.map((r) => r.countyId),
    );
    return rows.map((r) => ({
      countyId: r.countyId,
      countyName: names.get(r.countyId) ?? '',
      places: r.places,
      used: r.used,
    }));
  }

  /**
   * Sets the whole split (counties left out get none). The sum may not exceed the scheme's places
   * (409 QUOTA_EXCEEDS_PLACES); a county's places may not fall below what it has used (409
   * QUOTA_BELOW_USED), checked in the same conditional UPDATE that sets them, so a nomination
   * racing with this call cannot slip past it.
   */
  async setQuotas(actor: Actor, id: number, items: SchemeQuotaItemDto[]): Promise<SchemeQuotaDto[]> {
    this.requireCity(actor);
    const seen = new Set<number>();
    items.forEach((it, i) => {
      if (seen.has(it.countyId)) throw fieldError('DUPLICATE_COUNTY', `[${i}].countyId`, '同一县区不能重复出现');
      seen.add(it.countyId);
    });
    return this.tx.run(async (em) => {
      const s = await this.lockScheme(em, actor, id);
      const counties = items.length
        ? await em.find(Organisation, {
            where: { id: In(items.map((i) => i.countyId)), type: 'COUNTY' },
            select: { id: true, name: true },
          })
        : [];
      const countyName = new Map(counties.map((c) => [c.id, c.name]));
      items.forEach((it, i) => {
        if (!countyName.has(it.countyId)) throw fieldError('NOT_A_COUNTY', `[${i}].countyId`, '县区不存在');
      });
      const sum = items.reduce((n, it) => n + it.places, 0);
      if (sum > s.places) throw errors.quotaExceedsPlaces(sum, s.places);

      const existing = await em.find(SchemeQuota, { where: { schemeId: id } });
      const wanted = new Map(items.map((it) => [it.countyId, it.places]));
      for (const q of existing) {
        const places = wanted.get(q.countyId) ?? 0;
        if (places === q.places) continue;
        const res = await em
          .createQueryBuilder()
          .update(SchemeQuota)
          .set({ places })
          .where('id = :qid AND used <= :places', { qid: q.id, places })
          .execute();
        if (!res.affected) {
          const fresh = await em.findOneByOrFail(SchemeQuota, { id: q.id });
          throw errors.quotaBelowUsed(
            (await organisationNames(em, [q.countyId])).get(q.countyId) ?? '该县区',
            fresh.used,
          );
        }
      }
      const have = new Set(existing.map((q) => q.countyId));
      const fresh = items.filter((it) => !have.has(it.countyId));
      if (fresh.length)
        await em.insert(
          SchemeQuota,
          fresh.map((it) => ({ schemeId: id, countyId: it.countyId, places: it.places, used: 0 })),
        );
      await this.audit.record(em, actor, { action: 'set-quotas', entity: 'scheme', entityId: id, fields: ['quotas'] });
      return this.quotaDtos(em, await em.find(SchemeQuota, { where: { schemeId: id }, order: { countyId: 'ASC' } }));
    });
  }
}

/** Names of organisations by id (counties and schools: names are not personal data). */
export async function organisationNames(em: EntityManager, ids: number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  const out = new Map<number, string>();
  for (let i = 0; i < unique.length; i += 1000) {
    const rows = await em.find(Organisation, {
      where: { id: In(unique.slice(i, i + 1000)) },
      select: { id: true, name: true },
    });
    for (const r of rows) out.set(r.id, r.name);
  }
  return out;
}

import { Injectable } from '@nestjs/common';
import { Actor, Clock, ConflictError, ForbiddenError, TransactionRunner } from '@shipei/core';
import { AuditService } from '@shipei/audit';
import { EntityManager } from 'typeorm';
import { DEFAULT_RULES, RULE_KEYS, SelectionRules } from '../selection/selection-rules';
import { RuleDefaultsDto, SelectionRulesDto } from './dto/scheme.dto';
import { SchemeRuleDefaults } from './scheme-rule-defaults.entity';
import { SCHEME_KIND_LABELS, SCHEME_KINDS, type SchemeKind } from './scheme.entity';
import { managesSchemes } from '../talent-support.access';

/** Why each kind's defaults are what they are, shown on its page. */
const SOURCE: Record<SchemeKind, string> = {
  THREE_DISTRICTS: '国家“三区”人才支持计划教师专项计划通知（2021–2025）规定的选派条件',
  WESTERN_BELT: '西部经济隆起带计划没有国家统一的选派条件，默认条件由本局自定，可随时修改（只影响此后新建的计划）',
};

/**
 * The default selection rules a new scheme starts from: the national notices' for "三区" (fixed),
 * the bureau's own for 西部隆起带 (editable by the city office; the national ones until it sets them).
 */
@Injectable()
export class RuleDefaultsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async rulesFor(em: EntityManager, kind: SchemeKind): Promise<SelectionRules> {
    if (kind !== 'WESTERN_BELT') return { ...DEFAULT_RULES };
    const row = await em.findOne(SchemeRuleDefaults, { where: { kind } });
    return row ? parseRules(row.rules) : { ...DEFAULT_RULES };
  }

  private async view(em: EntityManager, kind: SchemeKind): Promise<RuleDefaultsDto> {
    return {
      kind,
      kindLabel: SCHEME_KIND_LABELS[kind],
      editable: kind === 'WESTERN_BELT',
      source: SOURCE[kind],
      rules: await this.rulesFor(em, kind),
    };
  }

  async list(em: EntityManager): Promise<RuleDefaultsDto[]> {
    return Promise.all(SCHEME_KINDS.map((k) => this.view(em, k)));
  }

  async get(em: EntityManager, kind: SchemeKind): Promise<RuleDefaultsDto> {
    return this.view(em, kind);
  }

  /** Sets the 西部隆起带 defaults (CITY_ADMIN); the national ones cannot be changed (409). */
  async set(actor: Actor, kind: SchemeKind, dto: SelectionRulesDto): Promise<RuleDefaultsDto> {
    if (!managesSchemes(actor)) throw new ForbiddenError();
    if (kind !== 'WESTERN_BELT')
      throw new ConflictError(
        'NATIONAL_DEFAULTS',
        '“三区”计划的默认选派条件由国家通知规定，不能修改；可在各计划中单独调整',
      );
    return this.tx.run(async (em) => {
      const rules = await this.rulesFor(em, kind);
      for (const k of RULE_KEYS) if (dto[k] !== undefined) (rules as unknown as Record<string, unknown>)[k] = dto[k];
      await em.upsert(SchemeRuleDefaults, { kind, rules: JSON.stringify(rules), updatedAt: this.clock.now() }, [
        'kind',
      ]);
      await this.audit.record(em, actor, {
        action: 'set-rule-defaults',
        entity: 'scheme_rule_defaults',
        entityId: kind,
        fields: Object.keys(dto),
      });
      return this.view(em, kind);
    });
  }
}

/** Stored defaults over the national ones (a rule added later keeps its national default). */
function parseRules(json: string): SelectionRules {
  const stored = JSON.parse(json) as Partial<SelectionRules>;
  const out = { ...DEFAULT_RULES } as Record<string, unknown>;
  for (const k of RULE_KEYS) if (k in stored) out[k] = stored[k];
  return out as unknown as SelectionRules;
}

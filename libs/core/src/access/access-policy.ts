import { Injectable } from '@nestjs/common';
import { EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { CompiledStatements, hydrate, runStatement } from '../perf/compiled-statements';
import { NotFoundError } from '../errors/domain-error';
import { Actor } from './actor';

export type AccessMode = 'read' | 'write';

declare const ACCESS_KIND: unique symbol;
/**
 * An object kind of the policy ('program', 'enrolment', …). Only {@link accessKind} makes one, so each
 * kind is a constant declared once, in the `*.access.ts` of the lib that registers it, and a query
 * cannot name a kind by a free string.
 */
export type AccessKind = string & { readonly [ACCESS_KIND]: true };

/** Declares an object kind (in a lib's `*.access.ts`, next to the rule that registers it). */
export function accessKind(name: string): AccessKind {
  return name as AccessKind;
}

/** A WHERE fragment over the given alias; `null` means no restriction. */
export interface Scope {
  where: string;
  params?: Record<string, unknown>;
}

export interface AccessRule<T extends ObjectLiteral = ObjectLiteral> {
  entity: EntityTarget<T>;
  /** Human name for 404 messages, e.g. 教师. */
  label: string;
  /** Rows of this kind the actor may read (or change, when mode is write); null = all. */
  scope(actor: Actor, alias: string, mode: AccessMode): Scope | null;
}

/** Matches nothing: the scope of a role that may not see a kind at all. */
export const NOTHING: Scope = { where: '1 = 0' };

/**
 * The one place that decides who may touch which rows (style: immich's access.ts).
 * Each domain lib registers a rule per object kind; services read and check rows only
 * through {@link query} and {@link require}, so a query cannot forget the county scope.
 * What a caller may not see is reported as not found (404), never as forbidden.
 */
@Injectable()
export class AccessPolicy {
  private readonly rules = new Map<AccessKind, AccessRule>();

  /** Called from a lib's access class in `onModuleInit`, once per kind. */
  register<T extends ObjectLiteral>(kind: AccessKind, rule: AccessRule<T>): void {
    if (this.rules.has(kind)) throw new Error(`Access rule "${kind}" registered twice`);
    this.rules.set(kind, rule as AccessRule);
  }

  /** The registered object kinds (for tests that go through all of them). */
  get kinds(): AccessKind[] {
    return [...this.rules.keys()];
  }

  private rule(kind: AccessKind): AccessRule {
    const rule = this.rules.get(kind);
    if (!rule) throw new Error(`No access rule registered for "${kind}"`);
    return rule;
  }

  /** A query builder over `kind`, already restricted to what the actor may see. */
  query<T extends ObjectLiteral>(
    em: EntityManager,
    actor: Actor,
    kind: AccessKind,
    alias: string,
    mode: AccessMode = 'read',
  ): SelectQueryBuilder<T> {
    const rule = this.rule(kind);
    const qb = em.createQueryBuilder(rule.entity as EntityTarget<T>, alias);
    const scope = rule.scope(actor, alias, mode);
    if (scope) qb.andWhere(`(${scope.where})`, scope.params ?? {});
    return qb;
  }

  /** The subset of ids the actor may touch. */
  async allowed(
    em: EntityManager,
    actor: Actor,
    kind: AccessKind,
    ids: number[],
    mode: AccessMode = 'read',
  ): Promise<Set<number>> {
    const unique = [...new Set(ids.filter((id) => Number.isSafeInteger(id)))];
    if (!unique.length) return new Set();
    const rows = await this.query(em, actor, kind, 'x', mode)
      .select('x.id', 'id')
      .andWhere('x.id IN (:...ids)', { ids: unique })
      .getRawMany();
    return new Set(rows.map((r) => Number(r.id)));
  }

  /** Throws 404 unless the actor may touch every id. */
  async require(
    em: EntityManager,
    actor: Actor,
    kind: AccessKind,
    ids: number | number[],
    mode: AccessMode = 'read',
  ): Promise<void> {
    const list = Array.isArray(ids) ? ids : [ids];
    const ok = await this.allowed(em, actor, kind, list, mode);
    if (list.some((id) => !ok.has(id))) throw new NotFoundError(this.rule(kind).label);
  }

  /** SQL text of {@link load} (with :named parameters) per kind, mode and scope: built by TypeORM once. */
  private readonly loadSql = new CompiledStatements();

  /**
   * Loads one row the actor may touch, or throws 404. Every use case starts with this, so the
   * statement is not rebuilt per call: TypeORM's query builder produces it once per (kind, mode,
   * scope text) — the scope's values are parameters — and each call only binds them, runs it and
   * turns the columns into the entity. Building it cost more than running it (~80 µs a call,
   * bench/nominate.bench.ts profile).
   */
  async load<T extends ObjectLiteral>(
    em: EntityManager,
    actor: Actor,
    kind: AccessKind,
    id: number,
    mode: AccessMode = 'read',
  ): Promise<T> {
    const rule = this.rule(kind);
    if (!Number.isSafeInteger(id)) throw new NotFoundError(rule.label);
    const scope = rule.scope(actor, 'x', mode);
    const key = `${kind}\u0000${mode}\u0000${scope?.where ?? ''}`;
    const sql = this.loadSql.text(key, () =>
      this.query<T>(em, actor, kind, 'x', mode).andWhere('x.id = :accessLoadId', { accessLoadId: id }).getQuery(),
    );
    const [row] = await runStatement(em, sql, { ...scope?.params, accessLoadId: id });
    if (!row) throw new NotFoundError(rule.label);
    return hydrate<T>(em, rule.entity, row, 'x');
  }
}

import { Injectable } from '@nestjs/common';
import {
  AccessPolicy,
  Actor,
  BadInputError,
  Clock,
  ForbiddenError,
  Page,
  pageOf,
  TransactionRunner,
} from '@shipei/core';
import { AuditService } from '@shipei/audit';
import { EntityManager, In } from 'typeorm';
import {
  CreateOrganisationDto,
  OrganisationDto,
  OrganisationQuery,
  UpdateOrganisationDto,
} from './dto/organisation.dto';
import { Organisation } from './organisation.entity';
import { actsForCounty, createsAnyUnit, ORGANISATION_KIND } from '../people.access';

export function toOrganisationDto(o: Organisation): OrganisationDto {
  return {
    id: o.id,
    type: o.type,
    code: o.code,
    name: o.name,
    parentId: o.parentId,
    countyId: o.countyId,
    stages: o.stages ? o.stages.split(',') : [],
    povertyVillage: !!o.povertyVillage,
    receivingSchool: !!o.receivingSchool,
  };
}

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(em: EntityManager, actor: Actor, q: OrganisationQuery): Promise<Page<OrganisationDto>> {
    const qb = this.access.query<Organisation>(em, actor, ORGANISATION_KIND, 'o');
    if (q.type) qb.andWhere('o.type = :type', { type: q.type });
    if (q.parentId) qb.andWhere('o.parentId = :parentId', { parentId: q.parentId });
    if (q.countyId) qb.andWhere('o.countyId = :countyId', { countyId: q.countyId });
    if (q.povertyVillage !== undefined) qb.andWhere('o.povertyVillage = :pv', { pv: q.povertyVillage });
    if (q.receivingSchool !== undefined) qb.andWhere('o.receivingSchool = :rs', { rs: q.receivingSchool });
    if (q.q) qb.andWhere('o.name LIKE :q', { q: `%${q.q.replace(/[%_\\]/g, '\\$&')}%` });
    const [rows, total] = await qb.orderBy('o.id', 'ASC').skip(q.offset).take(q.pageSize).getManyAndCount();
    return pageOf(rows.map(toOrganisationDto), total, q);
  }

  /**
   * Unit names by id, for ids found on rows a service already let the caller read (the school of a
   * teacher in a list, the unit of an account). Names of units are not personal data and every unit
   * reads the others' names (see the scope above), so this is not scoped.
   */
  async names(em: EntityManager, ids: (number | null | undefined)[]): Promise<Map<number, string>> {
    const unique = [...new Set(ids.filter((id): id is number => Number.isSafeInteger(id)))];
    if (!unique.length) return new Map();
    const rows = await em.find(Organisation, { where: { id: In(unique) }, select: { id: true, name: true } });
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async get(em: EntityManager, actor: Actor, id: number): Promise<OrganisationDto> {
    return toOrganisationDto(await this.access.load<Organisation>(em, actor, ORGANISATION_KIND, id));
  }

  /** A school under a county (city: any county; county admin: its own), or an institution/partner (city). */
  async create(actor: Actor, dto: CreateOrganisationDto): Promise<OrganisationDto> {
    return this.tx.run(async (em) => {
      let parentId: number | null;
      let countyId: number | null = null;
      if (dto.type === 'SCHOOL') {
        if (!dto.parentId)
          throw new BadInputError('VALIDATION_FAILED', '学校须指定所属县区', {
            errors: [{ field: 'parentId', message: '学校须指定所属县区' }],
          });
        const parent = await this.access.load<Organisation>(em, actor, ORGANISATION_KIND, dto.parentId);
        if (parent.type !== 'COUNTY')
          throw new BadInputError('INVALID_PARENT', '学校的上级单位须为县区', {
            errors: [{ field: 'parentId', message: '学校的上级单位须为县区' }],
          });
        // Another county's unit is public knowledge (its id is visible), so this is a 403, not a 404.
        if (!actsForCounty(actor, parent.id)) throw new ForbiddenError('NOT_OWN_COUNTY', '只能在本县区下建立学校');
        parentId = parent.id;
        countyId = parent.id;
      } else {
        if (!createsAnyUnit(actor))
          throw new BadInputError('INVALID_TYPE', '县区只能建立学校', {
            errors: [{ field: 'type', message: '县区只能建立学校' }],
          });
        parentId =
          dto.parentId ??
          (await em.findOne(Organisation, { where: { type: 'CITY' }, order: { id: 'ASC' } }))?.id ??
          null;
      }
      const { identifiers } = await em.insert(Organisation, {
        type: dto.type,
        code: dto.code ?? null,
        name: dto.name.trim(),
        parentId,
        countyId,
        stages: (dto.stages ?? []).join(','),
        povertyVillage: dto.povertyVillage ?? false,
        receivingSchool: dto.receivingSchool ?? false,
        createdAt: this.clock.now(),
      });
      const id = Number(identifiers[0].id);
      await this.audit.record(em, actor, {
        action: 'create',
        entity: 'organisation',
        entityId: id,
        fields: Object.keys(dto),
      });
      return toOrganisationDto(await em.findOneByOrFail(Organisation, { id }));
    });
  }

  async update(actor: Actor, id: number, dto: UpdateOrganisationDto): Promise<OrganisationDto> {
    return this.tx.run(async (em) => {
      const org = await this.access.load<Organisation>(em, actor, ORGANISATION_KIND, id, 'write');
      const patch: Partial<Organisation> = {};
      if (dto.name !== undefined) patch.name = dto.name.trim();
      if (dto.stages !== undefined) patch.stages = dto.stages.join(',');
      if (dto.povertyVillage !== undefined) patch.povertyVillage = dto.povertyVillage;
      if (dto.receivingSchool !== undefined) patch.receivingSchool = dto.receivingSchool;
      if (Object.keys(patch).length) {
        await em.update(Organisation, { id: org.id }, patch);
        await this.audit.record(em, actor, {
          action: 'update',
          entity: 'organisation',
          entityId: org.id,
          fields: Object.keys(patch),
        });
      }
      return toOrganisationDto(await em.findOneByOrFail(Organisation, { id: org.id }));
    });
  }
}

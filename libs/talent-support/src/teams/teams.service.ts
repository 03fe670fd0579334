import { Injectable } from '@nestjs/common';
import {
  AccessPolicy,
  Actor,
  Clock,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TransactionRunner,
} from '@shipei/core';
import { AuditService } from '@shipei/audit';
import { Teacher } from '@shipei/people';
import { EntityManager, In, IsNull } from 'typeorm';
import { ACTIVE_STATUSES, Placement, PLACEMENT_STATUS_LABELS } from '../placements/placement.entity';
import { organisationNames } from '../schemes/schemes.service';
import { fieldError } from '../talent-support.errors';
import { CreateTeamDto, TeamDto } from './dto/team.dto';
import { PlacementTeam } from './placement-team.entity';
import { isPlacementOffice, PLACEMENT_KIND, PLACEMENT_TEAM_KIND, SCHEME_KIND } from '../talent-support.access';

/**
 * 组团式选派: a county groups several of its placements to one receiving school into a team with a
 * leader. Members must be active (已推荐、已审核通过、在岗服务) and in no other team; claiming them
 * is one conditional UPDATE (`teamId IS NULL`), so two teams racing for a teacher cannot both win.
 */
@Injectable()
export class TeamsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  private requireOffice(actor: Actor): void {
    if (!isPlacementOffice(actor)) throw new ForbiddenError();
  }

  async create(actor: Actor, schemeId: number, dto: CreateTeamDto): Promise<TeamDto> {
    this.requireOffice(actor);
    if (!dto.placementIds.includes(dto.leaderPlacementId))
      throw fieldError('LEADER_NOT_MEMBER', 'leaderPlacementId', '队长须为团队成员之一');
    return this.tx.run(async (em) => {
      await this.access.require(em, actor, SCHEME_KIND, schemeId);
      const members = await this.access
        .query<Placement>(em, actor, PLACEMENT_KIND, 'p', 'write')
        .andWhere('p.id IN (:...ids)', { ids: dto.placementIds })
        .andWhere('p.schemeId = :schemeId', { schemeId })
        .getMany();
      if (members.length !== dto.placementIds.length) throw new NotFoundError('选派记录');
      if (members.some((p) => !ACTIVE_STATUSES.includes(p.status)))
        throw new ConflictError('TEAM_MEMBER_INACTIVE', '只有已推荐、已审核通过或在岗服务的选派才能组团');
      if (new Set(members.map((p) => p.countyId)).size > 1)
        throw new ConflictError('TEAM_MIXED_COUNTIES', '团队成员须来自同一县区');
      if (new Set(members.map((p) => p.receivingSchoolId)).size > 1)
        throw new ConflictError('TEAM_MIXED_SCHOOLS', '团队成员须派往同一所受援学校');
      const { identifiers } = await em.insert(PlacementTeam, {
        schemeId,
        countyId: members[0].countyId,
        receivingSchoolId: members[0].receivingSchoolId,
        name: dto.name,
        leaderPlacementId: dto.leaderPlacementId,
        createdAt: this.clock.now(),
      });
      const id = Number(identifiers[0].id);
      const claimed = await em.update(Placement, { id: In(dto.placementIds), teamId: IsNull() }, { teamId: id });
      if (claimed.affected !== dto.placementIds.length)
        throw new ConflictError('ALREADY_IN_TEAM', '有成员已在其他团队中，请先解散原团队');
      await this.audit.record(em, actor, {
        action: 'create-team',
        entity: 'placement_team',
        entityId: id,
        fields: ['name', 'placementIds', 'leaderPlacementId'],
      });
      return (await this.views(em, [await em.findOneByOrFail(PlacementTeam, { id })]))[0];
    });
  }

  async list(em: EntityManager, actor: Actor, schemeId: number): Promise<TeamDto[]> {
    this.requireOffice(actor);
    await this.access.require(em, actor, SCHEME_KIND, schemeId);
    const teams = await this.access
      .query<PlacementTeam>(em, actor, PLACEMENT_TEAM_KIND, 't')
      .andWhere('t.schemeId = :schemeId', { schemeId })
      .orderBy('t.id', 'ASC')
      .getMany();
    return this.views(em, teams);
  }

  /** Dissolves a team: its members stay placed, only no longer as a team. */
  async dissolve(actor: Actor, id: number): Promise<void> {
    this.requireOffice(actor);
    await this.tx.run(async (em) => {
      await this.access.require(em, actor, PLACEMENT_TEAM_KIND, id, 'write');
      await em.update(Placement, { teamId: id }, { teamId: null });
      await em.delete(PlacementTeam, { id });
      await this.audit.record(em, actor, { action: 'dissolve-team', entity: 'placement_team', entityId: id });
    });
  }

  private async views(em: EntityManager, teams: PlacementTeam[]): Promise<TeamDto[]> {
    if (!teams.length) return [];
    const members = await em.find(Placement, {
      where: { teamId: In(teams.map((t) => t.id)) },
      select: { id: true, teamId: true, teacherId: true, status: true },
      order: { id: 'ASC' },
    });
    const teachers = new Map(
      (members.length
        ? await em.find(Teacher, {
            where: { id: In(members.map((m) => m.teacherId)) },
            select: { id: true, name: true },
          })
        : []
      ).map((t) => [t.id, t.name]),
    );
    const names = await organisationNames(
      em,
      teams.flatMap((t) => [t.countyId, t.receivingSchoolId]),
    );
    return teams.map((t) => ({
      id: t.id,
      schemeId: t.schemeId,
      name: t.name,
      countyId: t.countyId,
      countyName: names.get(t.countyId) ?? '',
      receivingSchoolId: t.receivingSchoolId,
      receivingSchoolName: names.get(t.receivingSchoolId) ?? '',
      leaderPlacementId: t.leaderPlacementId,
      members: members
        .filter((m) => m.teamId === t.id)
        .map((m) => ({
          placementId: m.id,
          teacherId: m.teacherId,
          teacherName: teachers.get(m.teacherId) ?? '',
          status: m.status,
          statusLabel: PLACEMENT_STATUS_LABELS[m.status],
          leader: m.id === t.leaderPlacementId,
        })),
    }));
  }
}

import { Injectable } from '@nestjs/common';
import { accessKind, AccessMode, AccessRules, Actor, kindRule, NOTHING, Scope } from '@shipei/core';
import { countyRowsScope } from '@shipei/people';
import { Placement } from './placements/placement.entity';
import { Scheme } from './schemes/scheme.entity';
import { PlacementTeam } from './teams/placement-team.entity';

export const SCHEME_KIND = accessKind('scheme');
export const PLACEMENT_KIND = accessKind('placement');
export const PLACEMENT_TEAM_KIND = accessKind('placement_team');

/** Schemes: the city manages them; county admins read them all. */
export function schemeScope(actor: Actor, _a: string, mode: AccessMode): Scope | null {
  if (actor.role === 'CITY_ADMIN') return null;
  if (actor.role === 'COUNTY_ADMIN' && actor.countyId && mode === 'read') return null;
  return NOTHING;
}

/** Placements: the city all; a county its own; a teacher reads their own. */
export const placementScope = (actor: Actor, a: string, mode: AccessMode): Scope | null =>
  countyRowsScope(actor, a, mode, 'p', `${a}.teacherId`);

/** Placement teams: the city all; a county its own. */
export const placementTeamScope = (actor: Actor, a: string, mode: AccessMode): Scope | null =>
  countyRowsScope(actor, a, mode, 't');

/** Who manages schemes, their quotas and rule defaults, and approves, starts and ends placements: the city. */
export const managesSchemes = (actor: Actor): boolean => actor.role === 'CITY_ADMIN';
/** Who nominates teachers for a scheme: a county admin (its own teachers). */
export const nominatesPlacements = (actor: Actor): boolean => actor.role === 'COUNTY_ADMIN';
/** The education offices (city and counties): teams and stipend records. */
export const isPlacementOffice = (actor: Actor): boolean =>
  actor.role === 'CITY_ADMIN' || actor.role === 'COUNTY_ADMIN';

/** Registers the 'scheme', 'placement' and 'placement_team' kinds with the access policy. */
@Injectable()
export class TalentSupportAccess extends AccessRules {
  protected readonly rules = [
    kindRule<Scheme>(SCHEME_KIND, { entity: Scheme, label: '人才支持计划', scope: schemeScope }),
    kindRule<Placement>(PLACEMENT_KIND, { entity: Placement, label: '选派记录', scope: placementScope }),
    kindRule<PlacementTeam>(PLACEMENT_TEAM_KIND, {
      entity: PlacementTeam,
      label: '选派团队',
      scope: placementTeamScope,
    }),
  ];
}

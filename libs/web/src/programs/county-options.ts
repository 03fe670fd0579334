import type { Actor } from '@shipei/core';
import { OrganisationQuery, OrganisationsService } from '@shipei/people';
import type { EntityManager } from 'typeorm';
import { validateInput } from '../shared/forms';
import type { Option } from './program-view';

/** The counties a list may be filtered by: every county for the city, none for a county (its own is implied). */
export async function countyOptions(
  organisations: OrganisationsService,
  em: EntityManager,
  actor: Actor,
): Promise<Option[]> {
  if (actor.role !== 'CITY_ADMIN') return [];
  const page = await organisations.list(
    em,
    actor,
    await validateInput(OrganisationQuery, { type: 'COUNTY', pageSize: 100 }, 'query'),
  );
  return page.items.map((c) => ({ value: c.id, label: c.name }));
}

/** The schools of one county (a county admin: its own), for school filters. */
export async function schoolOptions(
  organisations: OrganisationsService,
  em: EntityManager,
  actor: Actor,
  countyId: number | null | undefined,
  flags: { receivingSchool?: boolean } = {},
): Promise<Option[]> {
  const county = actor.role === 'CITY_ADMIN' ? countyId : actor.countyId;
  if (!county) return [];
  const q = await validateInput(OrganisationQuery, { type: 'SCHOOL', countyId: county, ...flags }, 'query');
  q.pageSize = 5000; // every school of one county for the select (the API's pages stop at 200)
  return (await organisations.list(em, actor, q)).items.map((s) => ({ value: s.id, label: s.name }));
}

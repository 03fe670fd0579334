import type { Actor, TransactionRunner } from '@shipei/core';
import { OrganisationQuery, OrganisationsService } from '@shipei/people';
import { validateInput } from '../shared/forms';
import type { Option } from './program-view';

/** The counties a list may be filtered by: every county for the city, none for a county (its own is implied). */
export async function countyOptions(
  organisations: OrganisationsService,
  tx: TransactionRunner,
  actor: Actor,
): Promise<Option[]> {
  if (actor.role !== 'CITY_ADMIN') return [];
  const q = await validateInput(OrganisationQuery, { type: 'COUNTY', pageSize: 100 }, 'query');
  const page = await tx.read((em) => organisations.list(em, actor, q));
  return page.items.map((c) => ({ value: c.id, label: c.name }));
}

/** The schools of one county (a county admin: its own), for school filters. */
export async function schoolOptions(
  organisations: OrganisationsService,
  tx: TransactionRunner,
  actor: Actor,
  countyId: number | null | undefined,
  flags: { receivingSchool?: boolean } = {},
): Promise<Option[]> {
  const county = actor.role === 'CITY_ADMIN' ? countyId : actor.countyId;
  if (!county) return [];
  const q = await validateInput(OrganisationQuery, { type: 'SCHOOL', countyId: county, ...flags }, 'query');
  q.pageSize = 5000; // every school of one county for the select (the API's pages stop at 200)
  return (await tx.read((em) => organisations.list(em, actor, q))).items.map((s) => ({ value: s.id, label: s.name }));
}

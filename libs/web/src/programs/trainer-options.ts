import { User } from '@shipei/auth';
import { EntityManager } from 'typeorm';
import type { Option } from './program-view';

/**
 * The active trainer (TRAINER) accounts a program's owner may put on a cohort, for the cohort
 * forms. The cohorts service checks every id it is given (active TRAINER accounts only); this
 * only lists names, which for staff accounts are not personal data (see NameLookup). A county
 * running its thematic program needs them too, though the accounts list is the city's.
 */
export async function trainerOptions(em: EntityManager): Promise<Option[]> {
  const rows = await em.find(User, {
    where: { role: 'TRAINER', active: true },
    select: { id: true, displayName: true, username: true },
    order: { id: 'ASC' },
    take: 500,
  });
  return rows.map((u) => ({
    value: u.id,
    label: u.displayName && u.displayName !== u.username ? `${u.displayName}（${u.username}）` : u.username,
  }));
}

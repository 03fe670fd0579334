import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { User } from '@shipei/auth';
import { Organisation } from '@shipei/people';
import { EntityManager, In } from 'typeorm';

/**
 * Display names for ids found on rows a service has already let the caller read (the school of
 * a teacher in the list, the unit of the signed-in user, the author of an audit line). Names of
 * units and staff accounts are not personal data; the rows that reference them were access-checked
 * by their own service, so this only turns ids into words.
 */
@Injectable()
export class NameLookup {
  constructor(@InjectEntityManager() private readonly em: EntityManager) {}

  async organisations(ids: (number | null | undefined)[]): Promise<Map<number, string>> {
    const unique = [...new Set(ids.filter((id): id is number => Number.isSafeInteger(id)))];
    if (!unique.length) return new Map();
    const rows = await this.em.find(Organisation, { where: { id: In(unique) }, select: { id: true, name: true } });
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async organisation(id: number | null | undefined): Promise<string> {
    return id ? ((await this.organisations([id])).get(id) ?? '') : '';
  }

  /** Staff display names with their username (audit log authors). */
  async users(
    ids: (number | null | undefined)[],
  ): Promise<Map<number, { displayName: string; username: string; role: string }>> {
    const unique = [...new Set(ids.filter((id): id is number => Number.isSafeInteger(id)))];
    if (!unique.length) return new Map();
    const rows = await this.em.find(User, {
      where: { id: In(unique) },
      select: { id: true, displayName: true, username: true, role: true },
    });
    // A teacher's username is their phone number: never shown here.
    return new Map(
      rows.map((r) => [
        r.id,
        { displayName: r.displayName, username: r.role === 'TEACHER' ? '' : r.username, role: r.role },
      ]),
    );
  }

  /** The id of a staff account by its username (the audit log's 操作人 filter), or null. */
  async staffUserId(username: string): Promise<number | null> {
    const row = await this.em.findOne(User, { where: { username }, select: { id: true, role: true } });
    return row && row.role !== 'TEACHER' ? row.id : null;
  }
}

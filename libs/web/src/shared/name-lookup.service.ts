import { Injectable } from '@nestjs/common';
import { UsersService } from '@shipei/auth';
import { TransactionRunner } from '@shipei/core';
import { OrganisationsService } from '@shipei/people';

/**
 * Display names for ids found on rows a service has already let the caller read (the school of
 * a teacher in the list, the unit of the signed-in user, the author of an audit line), from the
 * people and auth libs. This only turns ids into words for the views.
 */
@Injectable()
export class NameLookup {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly units: OrganisationsService,
    private readonly accounts: UsersService,
  ) {}

  organisations(ids: (number | null | undefined)[]): Promise<Map<number, string>> {
    return this.tx.read((em) => this.units.names(em, ids));
  }

  async organisation(id: number | null | undefined): Promise<string> {
    return id ? ((await this.organisations([id])).get(id) ?? '') : '';
  }

  /** Staff display names with their username (audit log authors). */
  users(
    ids: (number | null | undefined)[],
  ): Promise<Map<number, { displayName: string; username: string; role: string }>> {
    return this.tx.read((em) => this.accounts.displayNames(em, ids));
  }

  /** The id of a staff account by its username (the audit log's 操作人 filter), or null. */
  staffUserId(username: string): Promise<number | null> {
    return this.tx.read((em) => this.accounts.staffIdByUsername(em, username));
  }
}

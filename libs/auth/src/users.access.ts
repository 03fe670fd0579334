import { Injectable } from '@nestjs/common';
import { accessKind, AccessRules, Actor, kindRule, NOTHING, Scope } from '@shipei/core';
import { User } from './user.entity';

export const USER_KIND = accessKind('user');

/** Accounts: the city all; county admins the accounts of their county's teachers and their own; others only themselves. */
export function userScope(actor: Actor, a: string): Scope | null {
  if (actor.role === 'CITY_ADMIN') return null;
  if (actor.role === 'COUNTY_ADMIN' && actor.countyId) {
    return {
      where: `${a}.teacherId IN (SELECT t.id FROM teacher t WHERE t.countyId = :uCounty) OR ${a}.id = :uSelf`,
      params: { uCounty: actor.countyId, uSelf: actor.userId },
    };
  }
  return actor.userId ? { where: `${a}.id = :uSelf`, params: { uSelf: actor.userId } } : NOTHING;
}

/** County admins open teacher accounts only; staff accounts are the city's to create. */
export const opensTeacherAccountsOnly = (actor: Actor): boolean => actor.role === 'COUNTY_ADMIN';

/** Only the city changes an account's role or organisation. */
export const mayChangeRoleOrUnit = (actor: Actor): boolean => actor.role === 'CITY_ADMIN';

/** Registers the 'user' kind with the access policy. */
@Injectable()
export class UsersAccess extends AccessRules {
  protected readonly rules = [kindRule<User>(USER_KIND, { entity: User, label: '账号', scope: userScope })];
}

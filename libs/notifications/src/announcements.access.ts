import { Injectable } from '@nestjs/common';
import { accessKind, AccessMode, AccessRules, Actor, kindRule, NOTHING, Scope } from '@shipei/core';
import { Announcement } from './announcements/announcement.entity';

export const ANNOUNCEMENT_KIND = accessKind('announcement');

/**
 * Who may touch a notice. Read: the people it was addressed to, the county that posted it, and the
 * city (which oversees every notice). Write (attach files): the organisation that posted it — the
 * city for its own, a county for its own; another county's notice is 404 to a county.
 */
export function announcementScope(actor: Actor, a: string, mode: AccessMode): Scope | null {
  const toUser = `${a}.id IN (SELECT aru.announcementId FROM announcement_recipient aru WHERE aru.userId = :anUser)`;
  switch (actor.role) {
    case 'CITY_ADMIN':
      return mode === 'write' ? { where: `${a}.countyId IS NULL` } : null;
    case 'COUNTY_ADMIN':
      if (!actor.countyId) return NOTHING;
      return mode === 'write'
        ? { where: `${a}.countyId = :anCounty`, params: { anCounty: actor.countyId } }
        : {
            where: `(${a}.countyId = :anCounty OR ${toUser})`,
            params: { anCounty: actor.countyId, anUser: actor.userId },
          };
    case 'TRAINER':
      return mode === 'write' ? NOTHING : { where: toUser, params: { anUser: actor.userId } };
    case 'TEACHER':
      if (mode === 'write' || !actor.teacherId) return NOTHING;
      return {
        where: `${a}.id IN (SELECT art.announcementId FROM announcement_recipient art WHERE art.teacherId = :anTeacher)`,
        params: { anTeacher: actor.teacherId },
      };
    default:
      return NOTHING;
  }
}

/** Who posts notices at all: the city office and the counties (a county to its own people only). */
export const mayPostAnnouncements = (actor: Actor): boolean =>
  actor.role === 'CITY_ADMIN' || (actor.role === 'COUNTY_ADMIN' && !!actor.countyId);

/** Who sees a notice's read counts and who has not read it: the city, and the county that posted it. */
export const managesAnnouncement = (actor: Actor, a: Pick<Announcement, 'countyId'>): boolean =>
  actor.role === 'CITY_ADMIN' || (actor.role === 'COUNTY_ADMIN' && !!actor.countyId && actor.countyId === a.countyId);

/** Who adds files to a notice: the organisation that posted it (as the 'write' scope says). */
export const mayAttach = (actor: Actor, a: Pick<Announcement, 'countyId'>): boolean =>
  actor.role === 'CITY_ADMIN'
    ? a.countyId === null
    : actor.role === 'COUNTY_ADMIN' && !!actor.countyId && actor.countyId === a.countyId;

/** Registers the 'announcement' kind with the access policy. */
@Injectable()
export class AnnouncementsAccess extends AccessRules {
  protected readonly rules = [
    kindRule<Announcement>(ANNOUNCEMENT_KIND, { entity: Announcement, label: '通知公告', scope: announcementScope }),
  ];
}

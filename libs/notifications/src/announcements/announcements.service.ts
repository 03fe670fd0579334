import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { AuditService } from '@shipei/audit';
import { AccessPolicy, Actor, Clock, DomainEvents, NotFoundError, sqlDatetime, TransactionRunner } from '@shipei/core';
import { APPROVED_SEAT_HOLDING } from '@shipei/enrolment';
import { Cohort, COHORT_KIND, PROGRAM_KIND } from '@shipei/programs';
import { EntityManager } from 'typeorm';
import { iso } from '../dto/iso';
import { AnnouncementFile, MAX_ANNOUNCEMENT_FILES } from './announcement-attachment';
import {
  AnnouncementAudienceViewDto,
  AnnouncementDto,
  AnnouncementPageDto,
  AnnouncementQuery,
  AnnouncementSummaryDto,
  AnnouncementUnreadDto,
  CreateAnnouncementDto,
} from './announcement.dto';
import { Announcement } from './announcement.entity';
import { AnnouncementEvents, AnnouncementPostedPayload } from './announcement.events';
import { ANNOUNCEMENT_KIND, managesAnnouncement, mayAttach, mayPostAnnouncements } from '../announcements.access';
import { AnnouncementErrors } from './announcements.errors';

/** The path of a notice's page: the link of its inbox message. */
export const announcementPath = (id: number) => `/app/announcements/${id}`;

const UNREAD_SHOWN = 500;
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

interface Addressee {
  key: string;
  userId: number | null;
  teacherId: number | null;
}

/**
 * 通知公告 (spec §15): the city or a county posts a notice to an audience; the people it reaches are
 * fixed in the posting transaction (the read count is "of those it was sent to"), its inbox messages
 * and SMS follow from its domain event after the commit. A county reaches only its own: its bureau,
 * its schools' teachers, and its own teachers among a program's or cohort's trainees.
 */
@Injectable()
export class AnnouncementsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
    @InjectEntityManager() private readonly em: EntityManager,
  ) {}

  async post(actor: Actor, dto: CreateAnnouncementDto): Promise<AnnouncementDto> {
    if (!mayPostAnnouncements(actor)) throw AnnouncementErrors.notPoster();
    const audience = dto.audience ?? {};
    if (!audience.countyIds && !audience.programId && !audience.cohortId) throw AnnouncementErrors.noAudience();
    const ownCounty = actor.role === 'COUNTY_ADMIN' ? actor.countyId : null;
    if (ownCounty && audience.countyIds?.some((c) => c !== ownCounty)) throw AnnouncementErrors.otherCounty();
    const counties = audience.countyIds ? [...new Set(audience.countyIds)] : ownCounty ? [ownCounty] : null;
    return this.tx.run(async (em) => {
      if (audience.countyIds) {
        const found = await em.query(
          `SELECT id FROM organisation WHERE type = ? AND id IN (${placeholders(counties!.length)})`,
          ['COUNTY', ...counties!],
        );
        if (found.length !== counties!.length) throw AnnouncementErrors.notCounty();
      }
      if (audience.programId) await this.access.require(em, actor, PROGRAM_KIND, audience.programId);
      if (audience.cohortId) {
        const cohort = await this.access.load<Cohort>(em, actor, COHORT_KIND, audience.cohortId);
        if (audience.programId && cohort.programId !== audience.programId)
          throw AnnouncementErrors.cohortOfOtherProgram();
      }
      const people = (await this.addressees(em, audience, counties)).filter((p) => p.userId !== actor.userId);
      if (!people.length) throw AnnouncementErrors.nobody();

      const now = this.clock.now();
      const stored: AnnouncementAudienceViewDto = {
        countyIds: audience.countyIds ? counties! : [],
        programId: audience.programId ?? null,
        cohortId: audience.cohortId ?? null,
      };
      const saved = await em.getRepository(Announcement).save(
        em.getRepository(Announcement).create({
          authorId: actor.userId,
          countyId: ownCounty,
          title: dto.title.trim(),
          body: dto.body,
          audience: JSON.stringify(stored),
          recipientCount: people.length,
          createdAt: now,
        }),
      );
      for (let i = 0; i < people.length; i += 500) {
        const chunk = people.slice(i, i + 500);
        await em.query(
          `INSERT INTO announcement_recipient (announcementId, recipientKey, userId, teacherId) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}`,
          chunk.flatMap((p) => [saved.id, p.key, p.userId, p.teacherId]),
        );
      }
      await this.events.record<AnnouncementPostedPayload>(em, {
        type: AnnouncementEvents.POSTED,
        entity: 'announcement',
        entityId: saved.id,
        payload: { announcementId: saved.id, countyId: ownCounty },
        actorId: actor.userId,
      });
      await this.audit.record(em, actor, {
        action: 'create',
        entity: 'announcement',
        entityId: saved.id,
        fields: ['title', 'body', 'audience'],
      });
      return this.detail(em, actor, saved);
    });
  }

  /**
   * Whom the audience reaches. A program or cohort: its trainees (approved or later), within the
   * counties when given (a county's own, always). Counties alone: their bureau's accounts and every
   * teacher of their schools.
   */
  private async addressees(
    em: EntityManager,
    audience: CreateAnnouncementDto['audience'],
    counties: number[] | null,
  ): Promise<Addressee[]> {
    const countyClause = counties ? ` AND e.countyId IN (${placeholders(counties.length)})` : '';
    if (audience.programId || audience.cohortId) {
      const [column, id] = audience.cohortId ? ['cohortId', audience.cohortId] : ['programId', audience.programId];
      const rows = await em.query(
        `SELECT DISTINCT e.teacherId AS teacherId FROM enrolment e WHERE e.${column} = ? AND e.status IN (${placeholders(APPROVED_SEAT_HOLDING.length)})${countyClause} ORDER BY e.teacherId`,
        [id, ...APPROVED_SEAT_HOLDING, ...(counties ?? [])],
      );
      return rows.map((r: { teacherId: number }) => teacher(Number(r.teacherId)));
    }
    const list = placeholders(counties!.length);
    const [staff, teachers] = await Promise.all([
      em.query(
        `SELECT id FROM user_account WHERE role = ? AND active = ? AND organisationId IN (${list}) ORDER BY id`,
        ['COUNTY_ADMIN', 1, ...counties!],
      ),
      em.query(`SELECT id FROM teacher WHERE countyId IN (${list}) ORDER BY id`, counties!),
    ]);
    return [
      ...staff.map((r: { id: number }) => ({ key: `u:${r.id}`, userId: Number(r.id), teacherId: null })),
      ...teachers.map((r: { id: number }) => teacher(Number(r.id))),
    ];
  }

  async list(actor: Actor, q: AnnouncementQuery): Promise<AnnouncementPageDto> {
    const [rows, total] = await this.access
      .query<Announcement>(this.em, actor, ANNOUNCEMENT_KIND, 'a')
      .orderBy('a.id', 'DESC')
      .skip(q.offset)
      .take(q.pageSize)
      .getManyAndCount();
    const items = await this.summaries(this.em, actor, rows);
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  async get(actor: Actor, id: number): Promise<AnnouncementDto> {
    const a = await this.access.load<Announcement>(this.em, actor, ANNOUNCEMENT_KIND, id);
    return this.detail(this.em, actor, a);
  }

  /**
   * The reader has opened it: their row is marked read (once: the first time counts) and so is its
   * message in their inbox. A reader it was not addressed to (the city overseeing) changes nothing.
   */
  async read(actor: Actor, id: number): Promise<AnnouncementDto> {
    return this.tx.run(async (em) => {
      const a = await this.access.load<Announcement>(em, actor, ANNOUNCEMENT_KIND, id);
      const now = sqlDatetime(em, this.clock.now());
      await em.query(
        'UPDATE announcement_recipient SET readAt = ? WHERE announcementId = ? AND readAt IS NULL AND (userId = ? OR teacherId = ?)',
        [now, id, actor.userId, actor.teacherId ?? -1],
      );
      await em.query(
        'UPDATE notification SET readAt = ? WHERE userId = ? AND type = ? AND link = ? AND readAt IS NULL',
        [now, actor.userId, AnnouncementEvents.POSTED, announcementPath(id)],
      );
      return this.detail(em, actor, a);
    });
  }

  async attach(actor: Actor, id: number, file: AnnouncementFile): Promise<AnnouncementDto> {
    return this.tx.run(async (em) => {
      const a = await this.access.load<Announcement>(em, actor, ANNOUNCEMENT_KIND, id, 'write');
      const [{ n }] = await em.query('SELECT COUNT(*) AS n FROM announcement_attachment WHERE announcementId = ?', [
        id,
      ]);
      if (Number(n) >= MAX_ANNOUNCEMENT_FILES) throw AnnouncementErrors.tooManyFiles(MAX_ANNOUNCEMENT_FILES);
      await em.query(
        'INSERT INTO announcement_attachment (announcementId, filename, contentType, size, content, createdAt) VALUES (?, ?, ?, ?, ?, ?)',
        [id, file.filename, file.contentType, file.content.length, file.content, sqlDatetime(em, this.clock.now())],
      );
      await this.audit.record(em, actor, {
        action: 'attach',
        entity: 'announcement',
        entityId: id,
        fields: ['attachment'],
      });
      return this.detail(em, actor, a);
    });
  }

  async attachment(actor: Actor, id: number, attachmentId: number): Promise<AnnouncementFile> {
    await this.access.require(this.em, actor, ANNOUNCEMENT_KIND, id);
    const [row] = await this.em.query(
      'SELECT filename, contentType, content FROM announcement_attachment WHERE id = ? AND announcementId = ?',
      [attachmentId, id],
    );
    if (!row) throw new NotFoundError('附件');
    return { filename: row.filename, contentType: row.contentType, content: Buffer.from(row.content) };
  }

  private async summaries(em: EntityManager, actor: Actor, rows: Announcement[]): Promise<AnnouncementSummaryDto[]> {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const list = placeholders(ids.length);
    const [mine, counts, from] = await Promise.all([
      em.query(
        `SELECT announcementId, readAt FROM announcement_recipient WHERE announcementId IN (${list}) AND (userId = ? OR teacherId = ?)`,
        [...ids, actor.userId, actor.teacherId ?? -1],
      ),
      rows.some((r) => managesAnnouncement(actor, r))
        ? em.query(
            `SELECT announcementId, COUNT(readAt) AS readCount FROM announcement_recipient WHERE announcementId IN (${list}) GROUP BY announcementId`,
            ids,
          )
        : Promise.resolve([]),
      this.senders(em, rows),
    ]);
    const readAt = new Map<number, string | null>(mine.map((m: any) => [Number(m.announcementId), iso(m.readAt)]));
    const reads = new Map<number, number>(counts.map((c: any) => [Number(c.announcementId), Number(c.readCount)]));
    return rows.map((r) => {
      const manages = managesAnnouncement(actor, r);
      return {
        id: r.id,
        title: r.title,
        from: from.get(r.countyId ?? 0) ?? '',
        createdAt: iso(r.createdAt)!,
        readAt: readAt.get(r.id) ?? null,
        addressed: readAt.has(r.id),
        reads: manages ? (reads.get(r.id) ?? 0) : null,
        recipients: manages ? r.recipientCount : null,
      };
    });
  }

  /** The posting organisations' names: the city bureau (key 0) or the county. */
  private async senders(em: EntityManager, rows: Pick<Announcement, 'countyId'>[]): Promise<Map<number, string>> {
    const counties = [...new Set(rows.map((r) => r.countyId).filter((c): c is number => !!c))];
    const found = await em.query(
      `SELECT id, type, name FROM organisation WHERE type = ?${counties.length ? ` OR id IN (${placeholders(counties.length)})` : ''}`,
      ['CITY', ...counties],
    );
    return new Map(found.map((o: any) => [o.type === 'CITY' ? 0 : Number(o.id), o.name as string]));
  }

  private async detail(em: EntityManager, actor: Actor, a: Announcement): Promise<AnnouncementDto> {
    const [summary] = await this.summaries(em, actor, [a]);
    const attachments = await em.query(
      'SELECT id, filename, contentType, size FROM announcement_attachment WHERE announcementId = ? ORDER BY id',
      [a.id],
    );
    return {
      ...summary,
      body: a.body,
      editable: mayAttach(actor, a),
      audience: JSON.parse(a.audience),
      attachments: attachments.map((f: any) => ({
        id: Number(f.id),
        filename: f.filename,
        contentType: f.contentType,
        size: Number(f.size),
      })),
      unread: managesAnnouncement(actor, a) ? await this.unread(em, a.id) : null,
    };
  }

  /** Who has not read it yet, teachers by school, then staff (names only: no phones here). */
  private async unread(em: EntityManager, id: number): Promise<AnnouncementUnreadDto[]> {
    const rows = await em.query(
      `SELECT t.name AS name, s.name AS organisation, 'TEACHER' AS kind, s.id AS orgId, t.id AS personId
         FROM announcement_recipient r INNER JOIN teacher t ON t.id = r.teacherId INNER JOIN organisation s ON s.id = t.schoolId
        WHERE r.announcementId = ? AND r.readAt IS NULL
       UNION ALL
       SELECT u.displayName AS name, COALESCE(o.name, '') AS organisation, 'STAFF' AS kind, COALESCE(o.id, 0) AS orgId, u.id AS personId
         FROM announcement_recipient r INNER JOIN user_account u ON u.id = r.userId LEFT JOIN organisation o ON o.id = u.organisationId
        WHERE r.announcementId = ? AND r.readAt IS NULL
       ORDER BY kind DESC, orgId, personId LIMIT ${UNREAD_SHOWN}`,
      [id, id],
    );
    return rows.map((r: any) => ({ name: r.name, organisation: r.organisation, kind: r.kind }));
  }
}

const teacher = (id: number): Addressee => ({ key: `t:${id}`, userId: null, teacherId: id });

import { Injectable } from '@nestjs/common';
import { LeaveEventPayload, LeaveEvents } from './leave.events';
import { InjectEntityManager } from '@nestjs/typeorm';
import { AuditService } from '@shipei/audit';
import {
  AccessPolicy,
  Actor,
  Clock,
  dbDate,
  DomainEvents,
  isDuplicateKey,
  lockForUpdate,
  NotFoundError,
  Page,
  sqlDatetime,
  pageOf,
  TransactionRunner,
} from '@shipei/core';
import { Enrolment } from '@shipei/enrolment';
import { Teacher } from '@shipei/people';
import { SESSION_KIND, TrainingSession } from '@shipei/programs';
import { EntityManager, In } from 'typeorm';
import { AttendanceAccess, isLeaveOwner, isTrainee, LEAVE_REQUEST_KIND } from '../attendance.access';
import { AttendanceErrors } from '../attendance.errors';
import {
  CreateLeaveRequestDto,
  DecideLeaveRequestDto,
  LeaveAttachmentDto,
  LeaveQuery,
  LeaveRequestDto,
} from '../dto/leave.dto';
import { AttachmentFile } from './leave-attachment';
import { AttendanceRecord } from '../records/attendance-record.entity';
import { ATTENDED, LEAVE_STATUS_LABELS, LEAVE_TYPE_LABELS, ROSTER_STATUSES } from '../statuses';
import { LeaveRequestSession } from './leave-request-session.entity';
import { LeaveRequest } from './leave-request.entity';

/**
 * 请假 (spec §5): a trainee asks to be excused from sessions of their cohort with a type and a
 * reason; a trainer of the cohort (or the program owner) approves or refuses it once. Approval
 * stores EXCUSED for the sessions, except where the trainee was in fact present (PRESENT/LATE stay).
 */
@Injectable()
export class LeaveService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly access: AccessPolicy,
    private readonly gate: AttendanceAccess,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
    @InjectEntityManager() private readonly em: EntityManager,
  ) {}

  async create(actor: Actor, dto: CreateLeaveRequestDto): Promise<LeaveRequestDto> {
    if (!isTrainee(actor)) throw AttendanceErrors.notTeacher();
    const teacherId = actor.teacherId;
    return this.tx.run(async (em) => {
      // Only sessions of the teacher's own cohorts are visible; anything else is not found.
      const sessions = await this.access
        .query<TrainingSession>(em, actor, SESSION_KIND, 's')
        .andWhere('s.id IN (:...ids)', { ids: dto.sessionIds })
        .orderBy('s.startsAt')
        .getMany();
      if (sessions.length !== dto.sessionIds.length) throw AttendanceErrors.notInCohort();
      const cohortIds = new Set(sessions.map((s) => s.cohortId));
      if (cohortIds.size > 1) throw AttendanceErrors.mixedCohorts();
      const cohortId = sessions[0].cohortId;
      const enrolment = await em.findOneBy(Enrolment, { teacherId, cohortId });
      if (!enrolment) throw AttendanceErrors.notInCohort();
      if (!ROSTER_STATUSES.includes(enrolment.status)) throw AttendanceErrors.notConfirmed();

      const ids = sessions.map((s) => s.id);
      const attended = await em.find(AttendanceRecord, {
        where: { enrolmentId: enrolment.id, sessionId: In(ids), status: In([...ATTENDED]) },
      });
      if (attended.length)
        throw AttendanceErrors.alreadyAttended(sessions.find((s) => s.id === attended[0].sessionId)!.title);
      const open = await em
        .createQueryBuilder(LeaveRequestSession, 'ls')
        .innerJoin(LeaveRequest, 'l', 'l.id = ls.leaveRequestId')
        .where('l.enrolmentId = :eid AND l.status IN (:...st) AND ls.sessionId IN (:...ids)', {
          eid: enrolment.id,
          st: ['PENDING', 'APPROVED'],
          ids,
        })
        .getOne();
      if (open) throw AttendanceErrors.leaveExists(sessions.find((s) => s.id === open.sessionId)!.title);

      const now = this.clock.now();
      const { identifiers } = await em.insert(LeaveRequest, {
        enrolmentId: enrolment.id,
        teacherId,
        cohortId,
        type: dto.type,
        reason: dto.reason,
        status: 'PENDING',
        decidedById: null,
        decidedAt: null,
        decisionNote: null,
        createdAt: now,
        updatedAt: now,
      });
      const id = Number(identifiers[0].id);
      await em.insert(
        LeaveRequestSession,
        ids.map((sessionId) => ({ leaveRequestId: id, sessionId })),
      );
      await this.audit.record(em, actor, {
        action: 'create',
        entity: 'leave_request',
        entityId: id,
        fields: ['sessionIds', 'type', 'reason'],
      });
      await this.events.record<LeaveEventPayload>(em, {
        type: LeaveEvents.REQUESTED,
        entity: 'leave_request',
        entityId: id,
        payload: { cohortId, teacherId, status: 'PENDING' },
        actorId: actor.userId,
      });
      return this.dto(em, await em.findOneByOrFail(LeaveRequest, { id }));
    });
  }

  async list(actor: Actor, q: LeaveQuery): Promise<Page<LeaveRequestDto>> {
    const qb = this.access.query<LeaveRequest>(this.em, actor, LEAVE_REQUEST_KIND, 'l');
    if (q.cohortId) qb.andWhere('l.cohortId = :cohortId', { cohortId: q.cohortId });
    if (q.status) qb.andWhere('l.status = :status', { status: q.status });
    const [rows, total] = await qb.orderBy('l.id', 'DESC').skip(q.offset).take(q.pageSize).getManyAndCount();
    return pageOf(await this.dtos(this.em, rows), total, q);
  }

  async get(actor: Actor, id: number): Promise<LeaveRequestDto> {
    return this.dto(this.em, await this.access.load<LeaveRequest>(this.em, actor, LEAVE_REQUEST_KIND, id));
  }

  /** The teacher attaches (or replaces) the note of a request still waiting for a decision. */
  async attach(actor: Actor, id: number, file: AttachmentFile): Promise<LeaveRequestDto> {
    return this.tx.run(async (em) => {
      const leave = await this.access.load<LeaveRequest>(em, actor, LEAVE_REQUEST_KIND, id);
      if (!isLeaveOwner(actor, leave)) throw AttendanceErrors.notTeacher();
      if (leave.status !== 'PENDING') throw AttendanceErrors.leaveDecided(LEAVE_STATUS_LABELS[leave.status]);
      await em.query('DELETE FROM leave_attachment WHERE leaveRequestId = ?', [id]);
      await em.query(
        'INSERT INTO leave_attachment (leaveRequestId, filename, contentType, size, content, createdAt) VALUES (?, ?, ?, ?, ?, ?)',
        [id, file.filename, file.contentType, file.content.length, file.content, sqlDatetime(em, this.clock.now())],
      );
      await this.audit.record(em, actor, {
        action: 'attach',
        entity: 'leave_request',
        entityId: id,
        fields: ['attachment'],
      });
      return this.dto(em, leave);
    });
  }

  /** The note itself, for its teacher and who decides the request; nobody else. */
  async attachment(actor: Actor, id: number): Promise<AttachmentFile> {
    const leave = await this.access.load<LeaveRequest>(this.em, actor, LEAVE_REQUEST_KIND, id);
    await this.gate.leaveNoteReader(this.em, actor, leave);
    const [row] = await this.em.query(
      'SELECT filename, contentType, content FROM leave_attachment WHERE leaveRequestId = ?',
      [id],
    );
    if (!row) throw new NotFoundError('请假附件');
    return { filename: row.filename, contentType: row.contentType, content: Buffer.from(row.content) };
  }

  approve(actor: Actor, id: number, dto: DecideLeaveRequestDto): Promise<LeaveRequestDto> {
    return this.decide(actor, id, 'APPROVED', dto.note);
  }

  refuse(actor: Actor, id: number, dto: DecideLeaveRequestDto): Promise<LeaveRequestDto> {
    return this.decide(actor, id, 'REFUSED', dto.note);
  }

  private async decide(actor: Actor, id: number, to: 'APPROVED' | 'REFUSED', note?: string): Promise<LeaveRequestDto> {
    return this.tx.run(async (em) => {
      const leave = await this.access.load<LeaveRequest>(em, actor, LEAVE_REQUEST_KIND, id);
      await this.gate.cohort(em, actor, leave.cohortId);
      const now = this.clock.now();
      const res = await em
        .createQueryBuilder()
        .update(LeaveRequest)
        .set({
          status: to,
          decidedById: actor.userId || null,
          decidedAt: now,
          decisionNote: note || null,
          updatedAt: now,
        })
        .where('id = :id AND status = :pending', { id, pending: 'PENDING' })
        .execute();
      if (!res.affected) {
        const current = await em.findOneByOrFail(LeaveRequest, { id });
        throw AttendanceErrors.leaveDecided(LEAVE_STATUS_LABELS[current.status]);
      }
      if (to === 'APPROVED') await this.excuse(em, leave, actor, now);
      await this.audit.record(em, actor, {
        action: to === 'APPROVED' ? 'approve' : 'refuse',
        entity: 'leave_request',
        entityId: id,
        fields: ['status', ...(note ? ['decisionNote'] : [])],
      });
      await this.events.record<LeaveEventPayload>(em, {
        type: LeaveEvents.DECIDED,
        entity: 'leave_request',
        entityId: id,
        payload: { cohortId: leave.cohortId, teacherId: leave.teacherId, status: to },
        actorId: actor.userId,
      });
      return this.dto(em, await em.findOneByOrFail(LeaveRequest, { id }));
    });
  }

  /** EXCUSED for each session of an approved leave, unless the trainee was there (PRESENT/LATE). */
  private async excuse(em: EntityManager, leave: LeaveRequest, actor: Actor, now: Date): Promise<void> {
    const sessionIds = (await em.find(LeaveRequestSession, { where: { leaveRequestId: leave.id } })).map(
      (s) => s.sessionId,
    );
    const reason = `${LEAVE_TYPE_LABELS[leave.type]}（请假批准）`;
    const patch = {
      status: 'EXCUSED' as const,
      source: 'LEAVE' as const,
      reason,
      leaveRequestId: leave.id,
      markedById: actor.userId || null,
      updatedAt: now,
    };
    for (const sessionId of sessionIds) {
      const qb = em
        .createQueryBuilder(AttendanceRecord, 'r')
        .where('r.sessionId = :sessionId AND r.enrolmentId = :eid', { sessionId, eid: leave.enrolmentId });
      let existing = await lockForUpdate(qb).getOne();
      if (!existing) {
        try {
          await em.insert(AttendanceRecord, {
            sessionId,
            enrolmentId: leave.enrolmentId,
            cohortId: leave.cohortId,
            checkedInAt: null,
            createdAt: now,
            ...patch,
          });
          continue;
        } catch (e) {
          if (!isDuplicateKey(e)) throw e;
          existing = await qb.getOne();
        }
      }
      if (existing && !ATTENDED.includes(existing.status))
        await em.update(AttendanceRecord, { id: existing.id }, patch);
    }
  }

  private async dto(em: EntityManager, l: LeaveRequest): Promise<LeaveRequestDto> {
    return (await this.dtos(em, [l]))[0];
  }

  private async dtos(em: EntityManager, rows: LeaveRequest[]): Promise<LeaveRequestDto[]> {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const links = await em
      .createQueryBuilder(LeaveRequestSession, 'ls')
      .innerJoin(TrainingSession, 's', 's.id = ls.sessionId')
      .select([
        'ls.leaveRequestId AS lid',
        's.id AS id',
        's.title AS title',
        's.startsAt AS startsAt',
        's.endsAt AS endsAt',
      ])
      .where('ls.leaveRequestId IN (:...ids)', { ids })
      .orderBy('s.startsAt')
      .getRawMany();
    const notes = new Map<number, LeaveAttachmentDto>(
      (
        await em.query(
          `SELECT leaveRequestId, filename, contentType, size FROM leave_attachment WHERE leaveRequestId IN (${ids.map(() => '?').join(', ')})`,
          ids,
        )
      ).map((r: any) => [
        Number(r.leaveRequestId),
        { filename: r.filename, contentType: r.contentType, size: Number(r.size) },
      ]),
    );
    const teachers = new Map(
      (
        await em.find(Teacher, {
          where: { id: In([...new Set(rows.map((r) => r.teacherId))]) },
          select: { id: true, name: true },
        })
      ).map((t) => [t.id, t.name]),
    );
    return rows.map((l) => ({
      id: l.id,
      enrolmentId: l.enrolmentId,
      teacherId: l.teacherId,
      teacherName: teachers.get(l.teacherId) ?? '',
      cohortId: l.cohortId,
      type: l.type,
      typeLabel: LEAVE_TYPE_LABELS[l.type],
      reason: l.reason,
      status: l.status,
      statusLabel: LEAVE_STATUS_LABELS[l.status],
      sessions: links
        .filter((s) => Number(s.lid) === l.id)
        .map((s) => ({
          id: Number(s.id),
          title: String(s.title),
          startsAt: dbDate(s.startsAt).toISOString(),
          endsAt: dbDate(s.endsAt).toISOString(),
        })),
      decidedAt: l.decidedAt ? new Date(l.decidedAt).toISOString() : null,
      decisionNote: l.decisionNote,
      attachment: notes.get(l.id) ?? null,
      createdAt: new Date(l.createdAt).toISOString(),
    }));
  }
}

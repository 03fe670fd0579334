import { Injectable } from '@nestjs/common';
import { accessKind, AccessKind, AccessRules, Actor, kindRule, NOTHING, Scope } from '@shipei/core';
import { Enrolment, ENROLMENT_KIND } from '@shipei/enrolment';
import { Cohort, COHORT_KIND, Program, SESSION_KIND, TrainingSession } from '@shipei/programs';
import { EntityManager } from 'typeorm';
import { AttendanceErrors } from './attendance.errors';
import { LeaveRequest } from './leave/leave-request.entity';
import { AttendanceRecord } from './records/attendance-record.entity';

export const ATTENDANCE_SESSION_KIND = accessKind('attendance-session');
export const ATTENDANCE_COHORT_KIND = accessKind('attendance-cohort');
export const CHECKIN_PASS_KIND = accessKind('checkin-pass');
export const COHORT_ENROLMENT_KIND = accessKind('cohort-enrolment');
export const ATTENDANCE_KIND = accessKind('attendance');
export const LEAVE_REQUEST_KIND = accessKind('leave-request');

/** A trainee: a teacher's account (linked to its teacher), who checks in, asks for leave and reads their own attendance. */
export const isTrainee = (actor: Actor): actor is Actor & { teacherId: number } =>
  actor.role === 'TEACHER' && !!actor.teacherId;

/**
 * Who runs a cohort's attendance: the program's owner (the city for city programs and as overseer,
 * a county for its own thematic programs) and the cohort's trainers. Teachers never do.
 * `cohortExpr` is the SQL expression of the cohort id on the guarded row.
 */
export function cohortManagerScope(actor: Actor, cohortExpr: string): Scope | null {
  switch (actor.role) {
    case 'CITY_ADMIN':
      return null;
    case 'COUNTY_ADMIN':
      if (!actor.countyId) return NOTHING;
      return {
        where: `${cohortExpr} IN (SELECT amc.id FROM cohort amc INNER JOIN program amp ON amp.id = amc.programId WHERE amp.ownerCountyId = :amCounty)`,
        params: { amCounty: actor.countyId },
      };
    case 'TRAINER':
      return {
        where: `${cohortExpr} IN (SELECT amt.cohortId FROM cohort_trainer amt WHERE amt.userId = :amUser)`,
        params: { amUser: actor.userId },
      };
    default:
      return NOTHING;
  }
}

/**
 * Who may read a trainee's attendance or leave: the cohort's managers, the county of the trainee
 * (its enrolment's county), and the teacher themself. `enrolmentExpr` is the enrolment id column.
 */
export function traineeReaderScope(actor: Actor, a: string, enrolmentExpr: string): Scope | null {
  const managers = cohortManagerScope(actor, `${a}.cohortId`);
  switch (actor.role) {
    case 'CITY_ADMIN':
      return null;
    case 'COUNTY_ADMIN':
      if (!actor.countyId || !managers) return NOTHING;
      return {
        where: `(${managers.where} OR ${enrolmentExpr} IN (SELECT are.id FROM enrolment are WHERE are.countyId = :arCounty))`,
        params: { ...managers.params, arCounty: actor.countyId },
      };
    case 'TRAINER':
      return managers;
    case 'TEACHER':
      if (!actor.teacherId) return NOTHING;
      return {
        where: `${enrolmentExpr} IN (SELECT are.id FROM enrolment are WHERE are.teacherId = :arTeacher)`,
        params: { arTeacher: actor.teacherId },
      };
    default:
      return NOTHING;
  }
}

export interface ManagedSession {
  session: TrainingSession;
  cohort: Cohort;
  program: Program;
}

/**
 * Registers the attendance kinds with the access policy and answers "may this actor run this
 * session's / cohort's attendance": 404 when the caller may not even see it, 403 when it may see
 * it but not run it (e.g. a county reading a city program's schedule).
 *
 * - `attendance-session` (TrainingSession) and `attendance-cohort` (Cohort): the managers;
 * - `attendance` (AttendanceRecord) and `leave-request` (LeaveRequest): the readers.
 */
/** The teacher who asked for the leave (only they attach its note). */
export const isLeaveOwner = (actor: Actor, leave: LeaveRequest): boolean =>
  actor.role === 'TEACHER' && !!actor.teacherId && actor.teacherId === leave.teacherId;

/** The trainee of an enrolment (only they upload its 考核 submissions). */
export const isEnrolmentTrainee = (actor: Actor, enrolment: Pick<Enrolment, 'teacherId'>): boolean =>
  actor.role === 'TEACHER' && !!actor.teacherId && actor.teacherId === enrolment.teacherId;

@Injectable()
export class AttendanceAccess extends AccessRules {
  protected readonly rules = [
    kindRule<TrainingSession>(ATTENDANCE_SESSION_KIND, {
      entity: TrainingSession,
      label: '课次',
      scope: (actor, a) => cohortManagerScope(actor, `${a}.cohortId`),
    }),
    kindRule<Cohort>(ATTENDANCE_COHORT_KIND, {
      entity: Cohort,
      label: '班级',
      scope: (actor, a) => cohortManagerScope(actor, `${a}.id`),
    }),
    // A personal pass: the teacher's own, and the enrolments of cohorts the actor runs.
    kindRule<Enrolment>(CHECKIN_PASS_KIND, {
      entity: Enrolment,
      label: '报名记录',
      scope: (actor, a) =>
        actor.role === 'TEACHER'
          ? actor.teacherId
            ? { where: `${a}.teacherId = :cpTeacher`, params: { cpTeacher: actor.teacherId } }
            : NOTHING
          : cohortManagerScope(actor, `${a}.cohortId`),
    }),
    kindRule<Enrolment>(COHORT_ENROLMENT_KIND, {
      entity: Enrolment,
      label: '报名记录',
      scope: (actor, a) => cohortManagerScope(actor, `${a}.cohortId`),
    }),
    kindRule<AttendanceRecord>(ATTENDANCE_KIND, {
      entity: AttendanceRecord,
      label: '考勤记录',
      scope: (actor, a) => traineeReaderScope(actor, a, `${a}.enrolmentId`),
    }),
    kindRule<LeaveRequest>(LEAVE_REQUEST_KIND, {
      entity: LeaveRequest,
      label: '请假申请',
      scope: (actor, a) =>
        actor.role === 'TEACHER'
          ? actor.teacherId
            ? { where: `${a}.teacherId = :lrTeacher`, params: { lrTeacher: actor.teacherId } }
            : NOTHING
          : traineeReaderScope(actor, a, `${a}.enrolmentId`),
    }),
  ];

  /** A session the actor runs, with its cohort and program; 404 if it may not see it, 403 if it may only read it. */
  async session(em: EntityManager, actor: Actor, id: number): Promise<ManagedSession> {
    const rows = await this.access
      .query<TrainingSession>(em, actor, ATTENDANCE_SESSION_KIND, 's')
      .innerJoinAndMapOne('s.cohortRow', Cohort, 'c', 'c.id = s.cohortId')
      .innerJoinAndMapOne('s.programRow', Program, 'p', 'p.id = c.programId')
      .andWhere('s.id = :id', { id })
      .getOne();
    if (!rows) {
      await this.access.require(em, actor, SESSION_KIND, id);
      throw AttendanceErrors.notManager();
    }
    const { cohortRow, programRow, ...session } = rows as TrainingSession & { cohortRow: Cohort; programRow: Program };
    return { session: session as TrainingSession, cohort: cohortRow, program: programRow };
  }

  /** An enrolment whose pass the actor may see (its teacher, or who runs its cohort); 404 / 403 as for sessions. */
  async passHolder(em: EntityManager, actor: Actor, id: number): Promise<Enrolment> {
    return this.enrolment(em, actor, CHECKIN_PASS_KIND, id);
  }

  /** An enrolment in a cohort the actor runs (on-site 报到); 404 / 403 as for sessions. */
  async managedEnrolment(em: EntityManager, actor: Actor, id: number): Promise<Enrolment> {
    return this.enrolment(em, actor, COHORT_ENROLMENT_KIND, id);
  }

  private async enrolment(em: EntityManager, actor: Actor, kind: AccessKind, id: number): Promise<Enrolment> {
    const row = await this.access.query<Enrolment>(em, actor, kind, 'e').andWhere('e.id = :id', { id }).getOne();
    if (!row) {
      await this.access.require(em, actor, ENROLMENT_KIND, id);
      throw AttendanceErrors.notManager();
    }
    return row;
  }

  /** The note attached to a leave request: its teacher, and who decides it (the cohort's trainers, the owner); 403 for other readers. */
  async leaveNoteReader(em: EntityManager, actor: Actor, leave: LeaveRequest): Promise<void> {
    if (!isLeaveOwner(actor, leave)) await this.cohort(em, actor, leave.cohortId);
  }

  /** A cohort the actor runs, with its program; 404 / 403 as for sessions. */
  async cohort(em: EntityManager, actor: Actor, id: number): Promise<{ cohort: Cohort; program: Program }> {
    const cohort = Number.isSafeInteger(id)
      ? await this.access.query<Cohort>(em, actor, ATTENDANCE_COHORT_KIND, 'c').andWhere('c.id = :id', { id }).getOne()
      : null;
    if (!cohort) {
      await this.access.require(em, actor, COHORT_KIND, id);
      throw AttendanceErrors.notManager();
    }
    return { cohort, program: await em.findOneByOrFail(Program, { id: cohort.programId }) };
  }
}

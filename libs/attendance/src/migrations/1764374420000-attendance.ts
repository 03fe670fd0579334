import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, fk, index } from '@shipei/core';

export class Attendance1764374420000 implements MigrationInterface {
  name = 'Attendance1764374420000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'leave_request',
        columns: [
          col.id(),
          col.int('enrolmentId'),
          col.int('teacherId'),
          col.int('cohortId'),
          col.str('type', 10),
          col.str('reason', 500),
          col.str('status', 10, { default: "'PENDING'" }),
          col.int('decidedById', { isNullable: true }),
          col.datetime('decidedAt', { isNullable: true }),
          col.str('decisionNote', 500, { isNullable: true }),
          col.datetime('createdAt'),
          col.datetime('updatedAt'),
        ],
        indices: [
          index('idx_leave_teacher', ['teacherId', 'id']),
          index('idx_leave_cohort', ['cohortId', 'status']),
          index('idx_leave_enrolment', ['enrolmentId']),
        ],
        foreignKeys: [
          fk(['enrolmentId'], 'enrolment'),
          fk(['teacherId'], 'teacher'),
          fk(['cohortId'], 'cohort'),
          fk(['decidedById'], 'user_account'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'leave_request_session',
        columns: [col.id(), col.int('leaveRequestId'), col.int('sessionId')],
        indices: [
          index('uq_leave_session', ['leaveRequestId', 'sessionId'], true),
          index('idx_leave_session_session', ['sessionId']),
        ],
        foreignKeys: [fk(['leaveRequestId'], 'leave_request'), fk(['sessionId'], 'training_session')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'attendance_record',
        columns: [
          col.id(),
          col.int('sessionId'),
          col.int('enrolmentId'),
          col.int('cohortId'),
          col.str('status', 10),
          col.str('source', 10),
          col.datetime('checkedInAt', { isNullable: true }),
          col.str('reason', 500, { isNullable: true }),
          col.int('leaveRequestId', { isNullable: true }),
          col.int('markedById', { isNullable: true }),
          col.datetime('createdAt'),
          col.datetime('updatedAt'),
        ],
        indices: [
          index('uq_attendance_session_enrolment', ['sessionId', 'enrolmentId'], true),
          index('idx_attendance_enrolment', ['enrolmentId']),
          index('idx_attendance_cohort', ['cohortId', 'enrolmentId']),
        ],
        foreignKeys: [
          fk(['sessionId'], 'training_session'),
          fk(['enrolmentId'], 'enrolment'),
          fk(['cohortId'], 'cohort'),
          fk(['leaveRequestId'], 'leave_request'),
          fk(['markedById'], 'user_account'),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('attendance_record');
    await q.dropTable('leave_request_session');
    await q.dropTable('leave_request');
  }
}

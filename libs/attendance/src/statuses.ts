import type { EnrolmentStatus } from '@shipei/enrolment';

export const ATTENDANCE_STATUSES = ['PRESENT', 'LATE', 'EXCUSED', 'ABSENT'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/** The labels of the attendance matrix and the trainer's screen (spec §5). */
export const ATTENDANCE_STATUS_LABELS: Record<AttendanceStatus, string> = {
  PRESENT: '出勤',
  LATE: '迟到',
  EXCUSED: '请假',
  ABSENT: '缺勤',
};

/** A session that has not ended, with no record yet for the trainee. */
export const PENDING_LABEL = '未签到';

/** Statuses that count as attended hours for completion. */
export const ATTENDED: readonly AttendanceStatus[] = ['PRESENT', 'LATE'];

/** How a record came to be: the trainee's own scan, a trainer's scan of their pass, a trainer's mark, an approved leave, closing the session. */
export const ATTENDANCE_SOURCES = ['SELF', 'SCAN', 'TRAINER', 'LEAVE', 'CLOSE'] as const;
export type AttendanceSource = (typeof ATTENDANCE_SOURCES)[number];

export const LEAVE_TYPES = ['SICK', 'PERSONAL', 'OFFICIAL'] as const;
export type LeaveType = (typeof LEAVE_TYPES)[number];
export const LEAVE_TYPE_LABELS: Record<LeaveType, string> = { SICK: '病假', PERSONAL: '事假', OFFICIAL: '公假' };

export const LEAVE_STATUSES = ['PENDING', 'APPROVED', 'REFUSED'] as const;
export type LeaveStatus = (typeof LEAVE_STATUSES)[number];
export const LEAVE_STATUS_LABELS: Record<LeaveStatus, string> = {
  PENDING: '待审批',
  APPROVED: '已批准',
  REFUSED: '未批准',
};

/**
 * The trainees of a cohort: enrolments that reported (CONFIRMED) and kept their place through
 * completion. Only these check in, ask for leave, appear on the sheet and count for completion.
 */
export const ROSTER_STATUSES: readonly EnrolmentStatus[] = ['CONFIRMED', 'COMPLETED', 'NOT_COMPLETED'];

/** Enrolments assigned to a cohort, from approval (报到 may still happen on site) through completion. */
export const ASSIGNED_STATUSES: readonly EnrolmentStatus[] = ['APPROVED', ...ROSTER_STATUSES];

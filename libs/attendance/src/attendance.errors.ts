import { BadInputError, ConflictError, DomainError, ForbiddenError } from '@shipei/core';

/** The domain errors of attendance, with their codes and Chinese messages (one place). */
export const AttendanceErrors = {
  codeInvalid: () => new BadInputError('CHECKIN_CODE_INVALID', '二维码已过期，请重新扫描'),
  notOpen: (opensAt: string) => new ConflictError('CHECKIN_NOT_OPEN', `签到尚未开始，将于 ${opensAt} 开放`),
  closed: (closedAt: string) =>
    new ConflictError('CHECKIN_CLOSED', `签到已结束（${closedAt} 截止），如需补签请联系培训教师`),
  notInCohort: () => new DomainError(404, 'NOT_IN_COHORT', '您不是该课次所属班级的学员，不能签到或请假'),
  notConfirmed: () => new ConflictError('NOT_CONFIRMED', '尚未报到确认，不能签到或请假，请先完成报到'),
  notTeacher: () => new ForbiddenError('TEACHER_ONLY', '只有教师本人可以签到或请假'),
  notManager: () => new ForbiddenError('NOT_SESSION_MANAGER', '只有本班培训教师或项目主办单位可以执行此操作'),
  notOnRoster: () => new DomainError(404, 'NOT_IN_COHORT', '该学员不在本班名单中（须已报到并分入本班）'),
  sessionNotStarted: (startsAt: string) =>
    new ConflictError('SESSION_NOT_STARTED', `课次尚未开始（${startsAt} 开始），不能记出勤、迟到或结束签到`),
  cohortNotEnded: (endsAt: string) =>
    new ConflictError('COHORT_NOT_ENDED', `本班还有课次未结束（最后一次课 ${endsAt} 结束），结束后才能计算结业`),
  noSessions: () => new ConflictError('NO_SESSIONS', '本班还没有课次，无法计算出勤率'),
  mixedCohorts: () =>
    new BadInputError('VALIDATION_FAILED', '一次请假只能包含同一个班的课次', {
      errors: [{ field: 'sessionIds', message: '一次请假只能包含同一个班的课次' }],
    }),
  alreadyAttended: (title: string) => new ConflictError('ALREADY_ATTENDED', `课次「${title}」已签到，无需请假`),
  leaveExists: (title: string) => new ConflictError('LEAVE_EXISTS', `课次「${title}」已有待审批或已批准的请假`),
  leaveDecided: (label: string) => new ConflictError('LEAVE_ALREADY_DECIDED', `该请假已处理（${label}），不能再次审批`),
};

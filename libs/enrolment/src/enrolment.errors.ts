import { ConflictError, shanghaiDateTime } from '@shipei/core';
import { PROGRAM_STATUS_LABELS, ProgramStatus } from '@shipei/programs';
import { ENROLMENT_STATUS_LABELS, EnrolmentStatus } from './enrolment.entity';

/** The rule-conflict errors of enrolment, each with a stable code and a Chinese message. */
export const EnrolmentErrors = {
  notAssigned: () => new ConflictError('NOT_ASSIGNED', '该学员尚未分班，不能现场报到或领取签到凭证'),
  invalidTransition: (now: EnrolmentStatus, action: string, from: EnrolmentStatus[]) =>
    new ConflictError(
      'INVALID_TRANSITION',
      `报名当前状态为「${ENROLMENT_STATUS_LABELS[now]}」，不能${action}（须为${from.map((s) => `「${ENROLMENT_STATUS_LABELS[s]}」`).join('或')}）`,
      { status: now },
    ),
  programNotOpen: (status: ProgramStatus) =>
    new ConflictError('PROGRAM_NOT_OPEN', `项目当前状态为「${PROGRAM_STATUS_LABELS[status]}」，不在推荐期内`),
  deadlinePassed: (deadline: Date) =>
    new ConflictError('DEADLINE_PASSED', `推荐已于 ${shanghaiDateTime(deadline)} 截止，不能再推荐`),
  programStatus: (status: ProgramStatus, action: string) =>
    new ConflictError('PROGRAM_STATUS', `项目当前状态为「${PROGRAM_STATUS_LABELS[status]}」，不能${action}`),
  started: (action: string) => new ConflictError('PROGRAM_STARTED', `培训已开始，不能${action}`),
  notEligible: (problems: string[]) =>
    new ConflictError('NOT_ELIGIBLE', `不符合报名条件：${problems.join('；')}`, { reasons: problems }),
  alreadyEnrolled: (status?: EnrolmentStatus) =>
    new ConflictError(
      'ALREADY_ENROLLED',
      status ? `该教师已报名本项目（当前状态：${ENROLMENT_STATUS_LABELS[status]}）` : '该教师已报名本项目',
    ),
  noQuota: () => new ConflictError('NO_QUOTA', '本项目尚未给本县区分配名额'),
  seatsFull: (seats: number) => new ConflictError('SEATS_FULL', `项目名额（${seats} 人）已满，不能再审核通过`),
};

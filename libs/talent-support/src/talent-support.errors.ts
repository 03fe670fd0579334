import { BadInputError, ConflictError } from '@shipei/core';
import { ACTIVE_STATUSES, PLACEMENT_STATUS_LABELS, type PlacementStatus } from './placements/placement.entity';

/** 400 naming the field at fault, in Chinese. */
export function fieldError(code: string, field: string, message: string): BadInputError {
  return new BadInputError(code, message, { errors: [{ field, message }] });
}

const ACTION_LABELS: Record<string, string> = {
  approve: '审核通过',
  reject: '审核不通过',
  arrive: '登记到岗',
  complete: '登记期满考核',
  terminate: '登记提前结束',
};

/** 409: the placement is not in a status the action may start from. */
export function illegalTransition(status: PlacementStatus, action: string): ConflictError {
  return new ConflictError(
    'ILLEGAL_TRANSITION',
    `该选派当前为「${PLACEMENT_STATUS_LABELS[status]}」，不能${ACTION_LABELS[action] ?? action}`,
    { status },
  );
}

export const errors = {
  notEligible: (reasons: string[]) =>
    new ConflictError('NOT_ELIGIBLE', `不符合选派条件：${reasons.join('；')}`, { reasons }),
  alreadyPlaced: () =>
    new ConflictError(
      'ALREADY_PLACED',
      `该教师已有进行中的选派（${ACTIVE_STATUSES.map((s) => PLACEMENT_STATUS_LABELS[s]).join('、')}），不能重复选派`,
    ),
  quotaFull: (hasQuota: boolean) =>
    new ConflictError('QUOTA_FULL', hasQuota ? '本县区在该计划的名额已用完' : '本县区在该计划中未分配名额'),
  quotaExceedsPlaces: (sum: number, places: number) =>
    new ConflictError('QUOTA_EXCEEDS_PLACES', `各县区名额合计 ${sum} 超过计划名额 ${places}`),
  quotaBelowUsed: (county: string, used: number) =>
    new ConflictError('QUOTA_BELOW_USED', `${county}已推荐 ${used} 人，名额不能少于已推荐人数`),
  placesBelowQuotas: (sum: number) =>
    new ConflictError('PLACES_BELOW_QUOTAS', `计划名额不能少于已分配给各县区的名额合计 ${sum}`),
  schemeInService: () => new ConflictError('SCHEME_IN_SERVICE', '已有教师到岗，不能再修改服务期或津贴标准'),
  termNotEnded: (termEnd: string) =>
    new ConflictError('TERM_NOT_ENDED', `服务期至 ${termEnd} 才结束，期满前不能登记期满考核；提前返回请登记提前结束`),
  notCompleted: () => new ConflictError('NOT_COMPLETED', '只有服务期满的选派才能出具支教证明'),
};

import { BadInputError, ConflictError, DomainError, ForbiddenError } from '@shipei/core';

export interface FieldError {
  field: string;
  message: string;
}

/** The domain errors of 考核, with their codes and Chinese messages (one place). */
export const AssessmentErrors = {
  invalid: (errors: FieldError[]) =>
    new BadInputError('VALIDATION_FAILED', errors[0]?.message ?? '提交的数据有误', { errors }),
  notOwner: () => new ForbiddenError('NOT_PROGRAM_OWNER', '只有项目主办单位可以设置考核项目'),
  itemScored: (name: string) =>
    new ConflictError(
      'ASSESSMENT_ITEM_SCORED',
      `考核项目「${name}」已录入成绩，不能删除；如需删除请先清除该项目的成绩`,
    ),
  itemSubmitted: (name: string, n: number) =>
    new ConflictError('ASSESSMENT_ITEM_SUBMITTED', `考核项目「${name}」已有 ${n} 名学员上传材料，不能删除`),
  maxBelowScore: (name: string, top: number) =>
    new ConflictError(
      'ASSESSMENT_MAX_BELOW_SCORE',
      `考核项目「${name}」已有 ${top} 分的成绩，满分不能低于已录入的最高分`,
    ),
  certified: (names: string[]) =>
    new ConflictError(
      'ASSESSMENT_CERTIFIED',
      `${names.slice(0, 5).join('、')}${names.length > 5 ? ` 等 ${names.length} 名学员` : ''}已颁发结业证书，不能更改其考核结果；如确需更改，请先撤销证书`,
      { enrolments: names.length },
    ),
  noItems: () => new ConflictError('NO_ASSESSMENT_ITEMS', '该项目未设置考核项目，无需录入成绩'),
  notSubmitter: () => new ForbiddenError('TEACHER_ONLY', '只有学员本人可以上传考核材料'),
  noSubmission: () => new DomainError(404, 'NOT_FOUND', '尚未上传该考核项目的材料'),
  itemNotFound: () => new DomainError(404, 'NOT_FOUND', '考核项目不存在或无权访问'),
};

import { BadInputError, ConflictError, ForbiddenError } from '@shipei/core';

/** Domain errors of 训后评价 (codes are part of the API; messages are shown to users). */
export const evaluationErrors = {
  notSet: () => new ConflictError('SURVEY_NOT_SET', '本班尚未设置评价问卷'),
  hasResponses: () => new ConflictError('SURVEY_HAS_RESPONSES', '已有学员提交评价，问卷不能再修改'),
  answered: () => new ConflictError('SURVEY_ANSWERED', '您已提交过本班的评价，每人只能提交一次'),
  notOpen: (from: string) => new ConflictError('SURVEY_NOT_OPEN', `本班培训结束当天（${from}）起才能评价`, { from }),
  notTrainee: () => new ForbiddenError('NOT_COHORT_TRAINEE', '只有本班学员可以提交评价'),
  empty: () =>
    new BadInputError('SURVEY_EMPTY', '问卷至少需要一个问题', {
      errors: [{ field: 'questions', message: '问卷至少需要一个问题' }],
    }),
  sessionNotInCohort: (index: number) =>
    new BadInputError('SURVEY_SESSION_INVALID', `第 ${index + 1} 题所选课次不属于本班`, {
      errors: [{ field: `questions.${index}.sessionId`, message: '所选课次不属于本班' }],
    }),
  answerInvalid: (field: string, message: string) =>
    new BadInputError('SURVEY_ANSWER_INVALID', message, { errors: [{ field, message }] }),
};

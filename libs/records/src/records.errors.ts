import { ConflictError } from '@shipei/core';

/** The domain errors of the records module, with their codes and Chinese messages (one place). */
export const RecordsErrors = {
  cohortNotFinished: (endDate: string) =>
    new ConflictError('COHORT_NOT_FINISHED', `本班尚未结束（结束日期 ${endDate}），结束后才能生成一期一档`),
  creditsChanged: () =>
    new ConflictError('EXTERNAL_CREDITS_CHANGED', '部分校外学时刚被另一次导入修改，未导入任何数据，请重新导入'),
};

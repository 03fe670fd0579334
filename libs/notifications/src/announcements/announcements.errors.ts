import { BadInputError, ConflictError, ForbiddenError } from '@shipei/core';

const bad = (field: string, message: string) =>
  new BadInputError('VALIDATION_FAILED', message, { errors: [{ field, message }] });

/** The domain errors of 通知公告, with their codes and Chinese messages. */
export const AnnouncementErrors = {
  notPoster: () => new ForbiddenError('ANNOUNCEMENT_FORBIDDEN', '只有市教育局和县区教体局可以发布通知公告'),
  otherCounty: () =>
    new ForbiddenError(
      'ANNOUNCEMENT_AUDIENCE_FORBIDDEN',
      '县区只能向本县区的教体局、学校教师和本县区的参训教师发布通知公告',
    ),
  noAudience: () => bad('audience', '请选择通知对象：县区、培训项目或班级'),
  notCounty: () => bad('audience.countyIds', '所选县区不存在'),
  cohortOfOtherProgram: () => bad('audience.cohortId', '所选班级不属于所选培训项目'),
  nobody: () => new ConflictError('ANNOUNCEMENT_NO_RECIPIENTS', '所选对象中没有收件人（项目或班级尚无通过审核的学员）'),
  tooManyFiles: (max: number) => new ConflictError('ANNOUNCEMENT_TOO_MANY_FILES', `每条通知最多 ${max} 个附件`),
};

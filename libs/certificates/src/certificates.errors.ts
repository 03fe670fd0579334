import { ConflictError, ForbiddenError } from '@shipei/core';

/** Domain errors of certificates (codes are part of the API; messages are shown to users). */
export const certificateErrors = {
  notCompleted: () => new ConflictError('NOT_COMPLETED', '该学员尚未结业，不能颁发证书'),
  cohortNotCompleted: () => new ConflictError('NOT_COMPLETED', '本班没有已结业的学员，不能颁发证书'),
  notIssuer: () => new ForbiddenError('NOT_CERTIFICATE_ISSUER', '只有项目主办单位或本班培训教师可以颁发证书'),
  notPrinter: () =>
    new ForbiddenError('NOT_CERTIFICATE_PRINTER', '只有项目主办单位、本班培训教师或证书持有人可以下载证书'),
  notRevoker: () => new ForbiddenError('NOT_PROGRAM_OWNER', '只有市级管理员或项目主办县区可以撤销证书'),
  noRegisterAccess: () => new ForbiddenError('NOT_PROGRAM_OWNER', '只有项目主办单位可以导出证书登记册'),
  alreadyRevoked: () => new ConflictError('ALREADY_REVOKED', '该证书已撤销'),
  revoked: () => new ConflictError('CERTIFICATE_REVOKED', '该证书已撤销，不能下载'),
  noCertificates: () => new ConflictError('NO_CERTIFICATES', '本班尚无有效证书，请先颁发证书'),
  datesMissing: () => new ConflictError('CERTIFICATE_DATES_MISSING', '未设置培训起止日期（班级或项目），不能颁发证书'),
  numberTaken: (number: string) =>
    new ConflictError('CERTIFICATE_NUMBER_TAKEN', `证书编号 ${number} 已被其他项目使用，请先修改本项目的证书编号前缀`, {
      number,
    }),
  templateInvalid: (reason: string) =>
    new ConflictError('CERTIFICATE_TEMPLATE_INVALID', `本项目的证书模板有误，请修改后再颁发：${reason}`),
};

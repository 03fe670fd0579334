import { Readable } from 'node:stream';
import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { BadInputError, DomainError } from '../errors/domain-error';

/**
 * The uploaded .xlsx of a multipart request (field `file`), as a stream: nothing is buffered.
 * 415/400 in Chinese when it is not there. The caller reads it, e.g. with {@link walkSheet}, which
 * also reads it to its end; a caller that may fail before that calls {@link drainUpload}.
 */
export async function xlsxUpload(req: FastifyRequest, field = 'file'): Promise<Readable> {
  if (!req.isMultipart())
    throw new DomainError(415, 'UNSUPPORTED_MEDIA_TYPE', `请以 multipart/form-data 上传 .xlsx 文件（字段名 ${field}）`);
  const part = await req.file();
  if (!part)
    throw new BadInputError('FILE_REQUIRED', '请选择要导入的 .xlsx 文件', {
      errors: [{ field, message: '请选择要导入的 .xlsx 文件' }],
    });
  if (part.fieldname !== field || !/\.xlsx$/i.test(part.filename ?? '')) {
    part.file.resume();
    const message =
      part.fieldname !== field
        ? `文件须放在字段 ${field} 中上传`
        : '只支持 .xlsx 格式（Excel 2007 及以上），请另存为 .xlsx 后再导入';
    throw new BadInputError(part.fieldname !== field ? 'FILE_REQUIRED' : 'NOT_XLSX', message, {
      errors: [{ field, message }],
    });
  }
  return part.file;
}

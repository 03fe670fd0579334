import { Readable } from 'node:stream';
import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { BadInputError, DomainError } from '../errors/domain-error';

/** The largest upload an import takes (the multipart file limit of create-app.ts). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
export const uploadTooLarge = () => new DomainError(413, 'FILE_TOO_LARGE', '上传的文件过大（上限 20 MB）');

const notXlsx = (field: string, message: string) =>
  new BadInputError('NOT_XLSX', message, { errors: [{ field, message }] });

/**
 * The uploaded .xlsx of a multipart request (field `file`), as a stream: nothing is buffered.
 * 415/400 in Chinese when it is not there, or when its first bytes show another format under an
 * .xlsx name (an .xls, a CSV or web page renamed). The caller reads it, e.g. with {@link walkSheet},
 * which also reads it to its end; a caller that may fail before that calls {@link drainUpload}.
 */
export async function xlsxUpload(req: FastifyRequest, field = 'file'): Promise<Readable> {
  if (!req.isMultipart())
    throw new DomainError(415, 'UNSUPPORTED_MEDIA_TYPE', `请以 multipart/form-data 上传 .xlsx 文件（字段名 ${field}）`);
  // A body that announces more than the upload limit is refused before a byte is read.
  if (Number(req.headers['content-length']) > MAX_UPLOAD_BYTES + 64 * 1024) throw uploadTooLarge();
  const part = await req.file();
  if (!part)
    throw new BadInputError('FILE_REQUIRED', '请选择要导入的 .xlsx 文件', {
      errors: [{ field, message: '请选择要导入的 .xlsx 文件' }],
    });
  if (part.fieldname !== field || !/\.xlsx$/i.test(part.filename ?? '')) {
    part.file.resume();
    if (part.fieldname !== field)
      throw new BadInputError('FILE_REQUIRED', `文件须放在字段 ${field} 中上传`, {
        errors: [{ field, message: `文件须放在字段 ${field} 中上传` }],
      });
    throw notXlsx(field, '只支持 .xlsx 格式（Excel 2007 及以上），请另存为 .xlsx 后再导入');
  }
  const head = await firstBytes(part.file);
  const actual = formatOf(head);
  if (actual) {
    part.file.resume();
    throw notXlsx(field, `该文件实际是${actual}，只是扩展名为 .xlsx；请在 Excel 中“另存为” .xlsx 格式后再导入`);
  }
  return part.file;
}

/** What a file that is not a zip (every .xlsx is one) really is, by its first bytes; null for a zip. */
export function formatOf(head: Buffer): string | null {
  if (head.length >= 4 && head.readUInt32BE(0) === 0x504b0304) return null;
  if (head.length >= 8 && head.readUInt32BE(0) === 0xd0cf11e0 && head.readUInt32BE(4) === 0xa1b11ae1)
    return ' Excel 97-2003 工作簿（.xls）';
  const text = head
    .subarray(0, 512)
    .toString('utf8')
    .replace(/^\ufeff/, '');
  if (/^\s*</.test(text)) return '网页或 XML 文件';
  // eslint-disable-next-line no-control-regex -- binary bytes are what tells text from not
  if (head.length && !/[\x00-\x08\x0e-\x1a]/.test(text)) return ' CSV 或其他文本文件';
  return '其他格式的文件（不是 Excel .xlsx）';
}

/** The first chunk of a stream, put back so the reader still sees every byte. */
function firstBytes(s: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const finish = (err: Error | null, head?: Buffer) => {
      s.off('readable', onReadable);
      s.off('end', onEnd);
      s.off('error', finish);
      if (err) reject(err);
      else resolve(head!);
    };
    const onReadable = () => {
      const chunk: Buffer | null = s.read();
      if (chunk === null) return;
      s.unshift(chunk);
      finish(null, chunk);
    };
    const onEnd = () => finish(null, Buffer.alloc(0));
    s.on('readable', onReadable);
    s.on('end', onEnd);
    s.on('error', finish);
  });
}

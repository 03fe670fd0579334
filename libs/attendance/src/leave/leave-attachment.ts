import type { MultipartFile } from '@fastify/multipart';
import { BadInputError, DomainError } from '@shipei/core';
import type { FastifyRequest } from 'fastify';

export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

export interface AttachmentFile {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** What the first bytes say a file is: the kinds a doctor's note comes as, or null. */
export function attachmentType(head: Buffer): string | null {
  if (head.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) return 'image/jpeg';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'image/webp';
  // iPhone photos: an ISO media file whose brand is HEIC/HEIF.
  if (
    head.subarray(4, 8).toString('latin1') === 'ftyp' &&
    /^(heic|heix|mif1|msf1)$/.test(head.subarray(8, 12).toString('latin1'))
  )
    return 'image/heic';
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return null;
}

const refuse = (message: string) =>
  new BadInputError('ATTACHMENT_INVALID', message, { errors: [{ field: 'file', message }] });

/**
 * The uploaded note of a multipart request (field `file`), read into memory up to 5 MB: 413 past
 * that (the rest is drained, never kept), 400 when its content is not an image or a PDF, whatever
 * its name says.
 */
export async function readAttachment(req: FastifyRequest): Promise<AttachmentFile> {
  if (!req.isMultipart())
    throw new DomainError(415, 'UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传附件（字段名 file）');
  if (Number(req.headers['content-length']) > MAX_ATTACHMENT_BYTES + 64 * 1024) throw tooLarge();
  const part: MultipartFile | undefined = await req.file();
  if (!part || part.fieldname !== 'file') {
    part?.file.resume();
    throw refuse('请选择要上传的附件（字段名 file）');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.file as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_ATTACHMENT_BYTES) {
      part.file.resume();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  if (part.file.truncated) throw tooLarge();
  const content = Buffer.concat(chunks);
  if (!content.length) throw refuse('附件是空文件');
  const contentType = attachmentType(content);
  if (!contentType) throw refuse('附件须为图片（JPG、PNG、WEBP、HEIC）或 PDF 文件，该文件的内容不是这些格式');
  // The name is shown to the trainer: keep it short and printable.
  const filename = [...(part.filename || '附件')]
    .map((c) => (c < ' ' || c === '/' || c === '\\' ? '_' : c))
    .join('')
    .slice(-100);
  return { filename, contentType, content };
}

const tooLarge = () => new DomainError(413, 'ATTACHMENT_TOO_LARGE', '附件过大（上限 5 MB），请压缩或拍照后重新上传');

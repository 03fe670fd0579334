import type { MultipartFile } from '@fastify/multipart';
import { BadInputError, DomainError } from '@shipei/core';
import type { FastifyRequest } from 'fastify';

/** A notice's file: 10 MB at most (a scanned 报到须知 or a timetable in Word), at most 10 per notice. */
export const MAX_ANNOUNCEMENT_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_ANNOUNCEMENT_FILES = 10;

export interface AnnouncementFile {
  filename: string;
  contentType: string;
  content: Buffer;
}

const OOXML: [string, string][] = [
  ['word/', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ['xl/', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['ppt/', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
];

/**
 * What the bytes say a file is — a PDF, an image, or an Office document (Word, Excel, PowerPoint:
 * the OOXML zip names its parts `word/…`, `xl/…`, `ppt/…`; the older formats are OLE compound files) —
 * or null. The name is never trusted: a renamed .exe is refused.
 */
export function announcementFileType(content: Buffer): string | null {
  const head = content.subarray(0, 16);
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (head.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) return 'image/jpeg';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'image/webp';
  if (head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])))
    return 'application/x-ole-storage';
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    // The part names are stored uncompressed in the local headers and the central directory.
    const text = content.toString('latin1');
    if (!text.includes('[Content_Types].xml')) return null;
    for (const [prefix, type] of OOXML) if (text.includes(prefix)) return type;
  }
  return null;
}

const refuse = (message: string) =>
  new BadInputError('ATTACHMENT_INVALID', message, { errors: [{ field: 'file', message }] });
const tooLarge = () => new DomainError(413, 'ATTACHMENT_TOO_LARGE', '附件过大（上限 10 MB），请压缩或拆分后重新上传');

/** The uploaded file (field `file`), read up to 10 MB: 413 past that, 400 when it is not an allowed kind. */
export async function readAnnouncementFile(req: FastifyRequest): Promise<AnnouncementFile> {
  if (!req.isMultipart())
    throw new DomainError(415, 'UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传附件（字段名 file）');
  if (Number(req.headers['content-length']) > MAX_ANNOUNCEMENT_FILE_BYTES + 64 * 1024) throw tooLarge();
  const part: MultipartFile | undefined = await req.file();
  if (!part || part.fieldname !== 'file') {
    part?.file.resume();
    throw refuse('请选择要上传的附件（字段名 file）');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.file as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_ANNOUNCEMENT_FILE_BYTES) {
      part.file.resume();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  if (part.file.truncated) throw tooLarge();
  const content = Buffer.concat(chunks);
  if (!content.length) throw refuse('附件是空文件');
  const contentType = announcementFileType(content);
  if (!contentType)
    throw refuse('附件须为 PDF、Word、Excel、PowerPoint 文件或图片（JPG、PNG、WEBP），该文件的内容不是这些格式');
  const filename = [...(part.filename || '附件')]
    .map((c) => (c < ' ' || c === '/' || c === '\\' ? '_' : c))
    .join('')
    .slice(-100);
  return { filename, contentType, content };
}

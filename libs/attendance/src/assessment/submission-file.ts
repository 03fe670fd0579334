import type { MultipartFile } from '@fastify/multipart';
import { BadInputError, DomainError } from '@shipei/core';
import type { FastifyRequest } from 'fastify';
import { attachmentType } from '../leave/leave-attachment';

/** A submission (作业、研修成果) may be up to 20 MB: the multipart file limit of the app. */
export const MAX_SUBMISSION_BYTES = 20 * 1024 * 1024;

export interface SubmissionFile {
  filename: string;
  contentType: string;
  content: Buffer;
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const DOC = 'application/msword';
/** Every type a submission may have (what {@link submissionType} answers). */
export const SUBMISSION_TYPES = ['application/pdf', DOC, DOCX, 'image/jpeg', 'image/png', 'image/webp', 'image/heic'];
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
// Names as a Word file holds them: in the zip's (uncompressed) directory, in the OLE2 directory (UTF-16).
const DOCX_PART = Buffer.from('word/document.xml', 'latin1');
const WORD_STREAM = Buffer.from('WordDocument', 'utf16le');

/**
 * What a submission's content is, whatever its name says: a PDF, an image (as for leave notes), a
 * Word document — .docx is a zip with a word/document.xml part (an .xlsx or any other zip is not),
 * .doc an OLE2 file with a WordDocument stream (an .xls is not) — or null.
 */
export function submissionType(content: Buffer): string | null {
  const simple = attachmentType(content.subarray(0, 16));
  if (simple) return simple;
  if (content.length >= 4 && content.readUInt32BE(0) === 0x504b0304) return content.includes(DOCX_PART) ? DOCX : null;
  if (content.subarray(0, 8).equals(OLE2)) return content.includes(WORD_STREAM) ? DOC : null;
  return null;
}

const refuse = (message: string) =>
  new BadInputError('SUBMISSION_INVALID', message, { errors: [{ field: 'file', message }] });
const tooLarge = () => new DomainError(413, 'SUBMISSION_TOO_LARGE', '文件过大（上限 20 MB），请压缩后重新上传');

/**
 * The uploaded file of a multipart request (field `file`), read into memory up to 20 MB: 413 past
 * that (the rest is drained), 400 when its content is not a PDF, a Word document or an image.
 */
export async function readSubmission(req: FastifyRequest): Promise<SubmissionFile> {
  if (!req.isMultipart())
    throw new DomainError(415, 'UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传文件（字段名 file）');
  if (Number(req.headers['content-length']) > MAX_SUBMISSION_BYTES + 64 * 1024) throw tooLarge();
  const part: MultipartFile | undefined = await req.file();
  if (!part || part.fieldname !== 'file') {
    part?.file.resume();
    throw refuse('请选择要上传的文件（字段名 file）');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.file as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_SUBMISSION_BYTES) {
      part.file.resume();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  if (part.file.truncated) throw tooLarge();
  const content = Buffer.concat(chunks);
  if (!content.length) throw refuse('上传的是空文件');
  const contentType = submissionType(content);
  if (!contentType)
    throw refuse('文件须为 PDF、Word（.docx/.doc）或图片（JPG、PNG、WEBP、HEIC），该文件的内容不是这些格式');
  const filename = [...(part.filename || '考核材料')]
    .map((c) => (c < ' ' || c === '/' || c === '\\' ? '_' : c))
    .join('')
    .slice(-100);
  return { filename, contentType, content };
}

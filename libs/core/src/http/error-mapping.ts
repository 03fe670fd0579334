import { HttpException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '../errors/domain-error';
import { defaultError, ErrorBody } from '../errors/error-body';
import { DUPLICATE_KEY_CODES } from '../database/dialect';

export interface MappedError {
  status: number;
  body: ErrorBody;
  /** True when the error is ours, not the caller's: log it with its stack. */
  unexpected: boolean;
}

const FASTIFY: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'INVALID_JSON', '请求体不是有效的 JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'INVALID_JSON', '请求体为空，应为 JSON'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'PAYLOAD_TOO_LARGE', '请求内容过大（上限 1 MB）'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE', '不支持的请求内容类型，请使用 application/json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'BAD_REQUEST', '请求长度与内容不符'],
  FST_REQ_FILE_TOO_LARGE: [413, 'FILE_TOO_LARGE', '上传的文件过大'],
  FST_FILES_LIMIT: [413, 'TOO_MANY_FILES', '上传的文件过多'],
  FST_PARTS_LIMIT: [413, 'TOO_MANY_PARTS', '上传的内容过多'],
  FST_INVALID_MULTIPART_CONTENT_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传文件'],
  FST_ERR_VALIDATION: [400, 'VALIDATION_FAILED', '请求参数有误'],
  FST_ERR_BAD_URL: [400, 'BAD_REQUEST', '请求地址无效'],
  FST_ERR_MAX_PARAM_LENGTH: [414, 'URI_TOO_LONG', '请求地址过长'],
  // Node's own refusals of a header value or name built from the request (e.g. a redirect target).
  ERR_INVALID_CHAR: [400, 'BAD_REQUEST', '请求中含有无效字符'],
  ERR_HTTP_INVALID_HEADER_VALUE: [400, 'BAD_REQUEST', '请求中含有无效字符'],
  ERR_INVALID_HTTP_TOKEN: [400, 'BAD_REQUEST', '请求中含有无效字符'],
};

const DUPLICATE = DUPLICATE_KEY_CODES;
const REFERENCE = new Set(['ER_NO_REFERENCED_ROW_2', 'ER_ROW_IS_REFERENCED_2', 'SQLITE_CONSTRAINT_FOREIGNKEY']);
const BAD_VALUE = new Set([
  'ER_DATA_TOO_LONG',
  'ER_TRUNCATED_WRONG_VALUE',
  'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD',
  'ER_WARN_DATA_OUT_OF_RANGE',
  'ER_TRUNCATED_WRONG_VALUE',
  'ER_INVALID_CHARACTER_STRING',
]);
const CHECK = new Set(['ER_CHECK_CONSTRAINT_VIOLATED', 'SQLITE_CONSTRAINT_CHECK']);
// A null that validation let through (an optional DTO field sent as null) into a NOT NULL column.
const NOT_NULL = new Set(['ER_BAD_NULL_ERROR', 'SQLITE_CONSTRAINT_NOTNULL']);
const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'POOL_CLOSED',
  'ER_SERVER_SHUTDOWN',
  'ENOTFOUND',
  'SQLITE_BUSY',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
]);

function body(status: number, code: string, message: string, extra?: Record<string, unknown>): ErrorBody {
  return { statusCode: status, code, message, ...(extra ?? {}) };
}

function driverCode(e: any): string | undefined {
  return e?.driverError?.code ?? e?.code;
}

/** Maps anything thrown while serving a request to the spec's error body. Never leaks internals. */
export function mapError(err: unknown): MappedError {
  if (err instanceof DomainError) {
    return { status: err.status, body: body(err.status, err.code, err.message, err.details), unexpected: false };
  }
  // Nest's fastify adapter wraps fastify's own errors (bad JSON, body too large) in an HttpException.
  const cause = (err as { cause?: { code?: unknown } })?.cause;
  if (err instanceof HttpException && typeof cause?.code === 'string' && FASTIFY[cause.code]) return mapError(cause);
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const res = err.getResponse() as any;
    const d = defaultError(status);
    const code = typeof res === 'object' && typeof res?.code === 'string' ? res.code : d.code;
    const message =
      typeof res === 'object' && typeof res?.message === 'string' && /[\u4e00-\u9fff]/.test(res.message)
        ? res.message
        : d.message;
    return { status, body: body(status, code, message), unexpected: status >= 500 };
  }
  const e = err as any;
  const code = driverCode(e);
  if (typeof e?.code === 'string' && FASTIFY[e.code]) {
    const [status, c, message] = FASTIFY[e.code];
    return { status, body: body(status, c, message), unexpected: false };
  }
  if (e instanceof SyntaxError && (e as any).statusCode === 400) {
    return { status: 400, body: body(400, 'INVALID_JSON', '请求体不是有效的 JSON'), unexpected: false };
  }
  if (err instanceof QueryFailedError || code?.startsWith?.('ER_') || code?.startsWith?.('SQLITE_')) {
    if (code && DUPLICATE.has(code))
      return { status: 409, body: body(409, 'DUPLICATE', '记录已存在，不能重复创建'), unexpected: false };
    if (code && REFERENCE.has(code))
      return { status: 409, body: body(409, 'REFERENCE_CONFLICT', '关联的记录不存在或仍被引用'), unexpected: false };
    if (code && BAD_VALUE.has(code))
      return { status: 400, body: body(400, 'VALUE_OUT_OF_RANGE', '输入的值超出允许范围'), unexpected: false };
    if (code && CHECK.has(code))
      return { status: 409, body: body(409, 'CONSTRAINT_VIOLATED', '操作违反数据规则'), unexpected: false };
    if (code && NOT_NULL.has(code))
      return { status: 400, body: body(400, 'VALUE_REQUIRED', '必填的内容不能为空（null）'), unexpected: false };
  }
  if (
    (code && UNAVAILABLE.has(code)) ||
    /Pool is closed|connect ECONNREFUSED|Connection lost|Can't add new command when connection is in closed state/i.test(
      String(e?.message),
    )
  ) {
    return { status: 503, body: body(503, 'DATABASE_UNAVAILABLE', '数据库暂时不可用，请稍后再试'), unexpected: false };
  }
  const status = typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
  const d = defaultError(status);
  return { status, body: body(status, d.code, d.message), unexpected: status >= 500 };
}

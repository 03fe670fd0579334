/**
 * A rule of the product was broken. Services throw these; one HTTP filter maps them to
 * `{ statusCode, code, message }` (spec §10). `message` is Chinese and shown to users.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** 404: does not exist, or the caller may not see it (never confirm existence by a 403). */
export class NotFoundError extends DomainError {
  constructor(what = '记录', code = 'NOT_FOUND') {
    super(404, code, `${what}不存在或无权访问`);
  }
}

/** 409: the request is well-formed but breaks a rule in the current state. */
export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(409, code, message, details);
  }
}

/** 400: the input itself is wrong. `errors` names the fields (or rows) at fault. */
export class BadInputError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(400, code, message, details);
  }
}

export class ForbiddenError extends DomainError {
  constructor(code = 'FORBIDDEN', message = '无权执行此操作') {
    super(403, code, message);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(code = 'UNAUTHORIZED', message = '请先登录') {
    super(401, code, message);
  }
}

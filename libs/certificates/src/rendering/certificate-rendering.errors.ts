import { BadInputError } from '@shipei/core';

/**
 * A certificate template does not compile, fails on sample data, or produces text that is not a valid
 * layout (see `certificate-layout.ts`). Thrown when a template is registered or validated, and at
 * render time when real data makes a template emit an invalid line.
 */
export class CertificateTemplateError extends BadInputError {
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super('CERTIFICATE_TEMPLATE_INVALID', `证书模板有误：${reason}`, { reason, ...details });
    this.name = 'CertificateTemplateError';
  }
}

/** The data for one certificate is incomplete or malformed; `details.field` names the field. */
export class CertificateViewError extends BadInputError {
  constructor(field: string, reason: string, details: Record<string, unknown> = {}) {
    super('CERTIFICATE_DATA_INVALID', `证书数据有误（${field}）：${reason}`, { field, reason, ...details });
    this.name = 'CertificateViewError';
  }
}

/** Nothing to print: an empty batch cannot make a PDF. */
export class EmptyCertificateBatchError extends BadInputError {
  constructor() {
    super('CERTIFICATE_BATCH_EMPTY', '没有可打印的证书');
    this.name = 'EmptyCertificateBatchError';
  }
}

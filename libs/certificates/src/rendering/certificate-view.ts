import { CertificateViewError } from './certificate-rendering.errors';

/** A value a template may read from `extra`. Flat on purpose: templates print text, not structures. */
export type CertificateExtraValue = string | number | boolean | null | undefined;

/**
 * Everything printed on one certificate, already decided by the caller (no database here).
 * Deliberately has no field for an ID number (spec §6, minimisation); `assertCertificateView` also
 * rejects any value, `extra` included, that looks like a full 身份证号.
 */
export interface CertificateView {
  holderName: string;
  schoolName: string;
  programTitle: string;
  /** YYYY-MM-DD */
  startDate: string;
  /** YYYY-MM-DD, not before `startDate` */
  endDate: string;
  creditHours: number;
  /** e.g. LYGG2019-0001 */
  number: string;
  /** e.g. 临沂市教育局 */
  issuer: string;
  /** YYYY-MM-DD */
  issueDate: string;
  /** Public verification page; encoded in the QR code. http(s) only. */
  verifyUrl: string;
  /** Title printed on the certificate; the template supplies its own default (培训结业证书, 支教证明). */
  kind?: string | null;
  /** Free values for program templates, e.g. `{ hostSchool: '…', assessment: '优秀' }` for 支教证明. */
  extra?: Readonly<Record<string, CertificateExtraValue>> | null;
}

/** What a template sees: the view with every text made single-line and `extra` always present. */
export type CertificateTemplateContext = Omit<CertificateView, 'extra'> & {
  extra: Record<string, string | number | boolean>;
};

const REQUIRED_TEXT = ['holderName', 'schoolName', 'programTitle', 'number', 'issuer', 'verifyUrl'] as const;
const DATES = ['startDate', 'endDate', 'issueDate'] as const;
const MAX_TEXT = 200;
const MAX_URL = 300;
const MAX_EXTRA_KEYS = 32;

/**
 * Checks one certificate's data and throws `CertificateViewError` naming the first bad field.
 * `index` (position in a batch) is added to the error details.
 */
export function assertCertificateView(view: CertificateView, index = 0): void {
  const fail = (field: string, reason: string): never => {
    throw new CertificateViewError(field, reason, { index });
  };
  if (view === null || typeof view !== 'object') fail('view', '缺少证书数据');
  for (const field of REQUIRED_TEXT) {
    const value: unknown = view[field];
    if (typeof value !== 'string' || value.trim() === '') fail(field, '不能为空');
    if ((value as string).length > (field === 'verifyUrl' ? MAX_URL : MAX_TEXT)) fail(field, '过长');
  }
  if (view.kind != null && (typeof view.kind !== 'string' || view.kind.length > MAX_TEXT))
    fail('kind', '应为不超过 200 字的文字');
  for (const field of DATES) {
    if (!isIsoDate(view[field])) fail(field, '应为有效日期 YYYY-MM-DD');
  }
  if (view.startDate > view.endDate) fail('endDate', '结束日期早于开始日期');
  if (
    typeof view.creditHours !== 'number' ||
    !Number.isFinite(view.creditHours) ||
    view.creditHours < 0 ||
    view.creditHours > 10000
  ) {
    fail('creditHours', '应为 0 到 10000 之间的数');
  }
  if (!/^https?:\/\/[^\s]+$/i.test(view.verifyUrl) || !URL.canParse(view.verifyUrl))
    fail('verifyUrl', '应为 http(s) 网址');
  if (view.extra != null) {
    if (typeof view.extra !== 'object' || Array.isArray(view.extra)) fail('extra', '应为键值对');
    const entries = Object.entries(view.extra);
    if (entries.length > MAX_EXTRA_KEYS) fail('extra', `最多 ${MAX_EXTRA_KEYS} 项`);
    for (const [key, value] of entries) {
      const ok =
        value === null ||
        value === undefined ||
        typeof value === 'boolean' ||
        (typeof value === 'number' && Number.isFinite(value)) ||
        (typeof value === 'string' && value.length <= MAX_TEXT);
      if (!ok) fail(`extra.${key}`, '应为不超过 200 字的文字、数字或布尔值');
    }
  }
  for (const [field, value] of textValues(view)) {
    if (containsResidentIdNumber(value)) fail(field, '证书上不得出现完整身份证号');
  }
}

/** The template context for a (valid) view: control characters and line breaks become spaces. */
export function toTemplateContext(view: CertificateView): CertificateTemplateContext {
  const extra: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(view.extra ?? {})) {
    if (value === null || value === undefined) continue;
    extra[key] = typeof value === 'string' ? singleLine(value) : value;
  }
  return {
    holderName: singleLine(view.holderName),
    schoolName: singleLine(view.schoolName),
    programTitle: singleLine(view.programTitle),
    startDate: view.startDate,
    endDate: view.endDate,
    creditHours: view.creditHours,
    number: singleLine(view.number),
    issuer: singleLine(view.issuer),
    issueDate: view.issueDate,
    verifyUrl: view.verifyUrl.trim(),
    kind: view.kind == null ? undefined : singleLine(view.kind) || undefined,
    extra,
  };
}

/**
 * Values reach the layout through the template; a line break inside a name would start a new layout
 * line, so every value is folded onto one line before the template sees it.
 */
export function singleLine(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
      .replace(/ {2,}/g, ' ')
      .trim()
  );
}

export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** True if `text` contains an 18-character resident ID number with a valid check character. */
export function containsResidentIdNumber(text: string): boolean {
  for (const match of text.matchAll(/(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])/g)) {
    const id = match[0].toUpperCase();
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i];
    if (ID_CHECK[sum % 11] === id[17]) return true;
  }
  return false;
}

function* textValues(view: CertificateView): Generator<[string, string]> {
  for (const [field, value] of Object.entries(view)) {
    if (typeof value === 'string') yield [field, value];
  }
  for (const [key, value] of Object.entries(view.extra ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') yield [`extra.${key}`, String(value)];
  }
}

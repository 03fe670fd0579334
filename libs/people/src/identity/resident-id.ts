import { registerDecorator, ValidationOptions } from 'class-validator';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** Trims, turns full-width digits/Ｘ into ASCII and upper-cases the X. */
export function normaliseIdNumber(raw: string): string {
  return String(raw)
    .replace(/[\u200b-\u200d\ufeff\s]/g, '')
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[ｘＸx]/g, 'X');
}

export interface ResidentIdInfo {
  gender: 'M' | 'F';
  birthDate: string;
}

/**
 * GB 11643-1999 citizen identity number: 17 digits + ISO 7064 MOD 11-2 check character,
 * with a real birth date. Unknown address codes are accepted (they change over time).
 * Returns the derived gender and birth date, or null when invalid.
 */
export function parseResidentId(value: string): ResidentIdInfo | null {
  if (!/^\d{17}[\dX]$/.test(value)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(value[i]) * WEIGHTS[i];
  if (CHECK[sum % 11] !== value[17]) return null;
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (
    y < 1900 ||
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== m - 1 ||
    date.getUTCDate() !== d ||
    // A format check (no birth date in the future) run by validation decorators, which have no
    // injector and so no Clock; no rule depends on the exact instant.
    // eslint-disable-next-line no-restricted-syntax
    date.getTime() > Date.now()
  )
    return null;
  return {
    gender: Number(value[16]) % 2 === 1 ? 'M' : 'F',
    birthDate: value.slice(6, 10) + '-' + value.slice(10, 12) + '-' + value.slice(12, 14),
  };
}

export function isResidentId(value: unknown): boolean {
  return typeof value === 'string' && parseResidentId(normaliseIdNumber(value)) !== null;
}

/** `@IsResidentIdNumber()`: a valid 身份证号 (after normalisation). */
export function IsResidentIdNumber(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isResidentIdNumber',
      target: object.constructor,
      propertyName,
      options: { message: '身份证号无效（应为 18 位，末位校验码正确）', ...options },
      validator: { validate: isResidentId },
    });
}

export const MOBILE = /^1[3-9]\d{9}$/;

/** `@IsPersonName()`: a name of printable characters (no control characters, no angle brackets). */
export function IsPersonName(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isPersonName',
      target: object.constructor,
      propertyName,
      options: { message: '姓名含有不允许的字符', ...options },
      validator: {
        validate: (v: unknown) =>
          typeof v === 'string' && ![...v].some((c) => c.charCodeAt(0) < 32 || c === '<' || c === '>'),
      },
    });
}

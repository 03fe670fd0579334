import type { Type } from '@nestjs/common';
import { createValidationPipe, DomainError, mapError } from '@shipei/core';

/** A form body as @fastify/formbody parses it: repeated names become arrays. */
export type FormBody = Record<string, string | string[] | undefined>;

/** What a form shows after a failed submit: a message per field, and one at the top. */
export interface FormErrors {
  /** Shown at the top of the form (role="alert"). */
  summary: string;
  /** Field name → message shown under that field. */
  fields: Record<string, string>;
}

const pipe = createValidationPipe();

/**
 * Runs the same validation as the API (the global ValidationPipe: the lib's DTO, whitelist,
 * Chinese messages) on data built from a form, and returns the DTO instance. Throws the same
 * BadInputError the API would answer with.
 */
export async function validateInput<T extends object>(
  dto: Type<T>,
  data: Record<string, unknown>,
  type: 'body' | 'query' = 'body',
): Promise<T> {
  // An undefined key would override the DTO's defaults (page = 1): leave it out, as a JSON body would.
  const given = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));
  return (await pipe.transform(given, { type, metatype: dto, data: '' })) as T;
}

export type FieldKind = 'text' | 'int' | 'bool' | 'list';

/**
 * Turns form fields into the JSON shape of a DTO: trims text, `int` to numbers, `bool` from a
 * checkbox (present = true, absent = false), `list` from repeated checkboxes. Empty text is left
 * out (the API's "not given"), or null with `emptyAsNull` (clearing an optional field on edit).
 */
export function readForm(
  body: FormBody | undefined,
  spec: Record<string, FieldKind>,
  opts: { emptyAsNull?: string[] } = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const b = body ?? {};
  for (const [name, kind] of Object.entries(spec)) {
    const raw = b[name];
    const first = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (kind === 'bool') {
      out[name] = first === 'true' || first === 'on' || first === '1';
      continue;
    }
    if (kind === 'list') {
      out[name] = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
        .map((v) => String(v).trim())
        .filter(Boolean);
      continue;
    }
    const text = typeof first === 'string' ? first.trim() : '';
    if (text === '') {
      if (opts.emptyAsNull?.includes(name)) out[name] = null;
      continue;
    }
    // A number the DTO will check; text that is not a number is passed on so the DTO's message shows.
    out[name] = kind === 'int' && /^-?\d{1,15}$/.test(text) ? Number(text) : text;
  }
  return out;
}

/** One text value of a form or query (the last one when repeated). */
export function field(body: FormBody | undefined, name: string): string {
  const raw = body?.[name];
  const first = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  return typeof first === 'string' ? first.trim() : '';
}

/**
 * The errors of a failed submit, for the form: the API's field errors under their fields, a
 * conflict whose code names a field (`fieldOfCode`) under that field, the rest at the top.
 * Returns null for errors that are not the user's (those go to the page error filter).
 */
export function formErrors(
  err: unknown,
  formFields: string[],
  fieldOfCode: Record<string, string> = {},
  opts: { loginForm?: boolean } = {},
): FormErrors | null {
  const mapped = mapError(err);
  // 401 means the session ended (the filter sends the user to log in), except on the login form itself.
  if (mapped.status >= 500 || (mapped.status === 401 && !opts.loginForm)) return null;
  const fields: Record<string, string> = {};
  const loose: string[] = [];
  const list = (err instanceof DomainError && Array.isArray(err.details?.errors) ? err.details.errors : []) as {
    field?: string;
    message?: string;
  }[];
  for (const e of list) {
    if (!e?.message) continue;
    const name = String(e.field ?? '').split(/[.[]/)[0];
    if (formFields.includes(name)) fields[name] ??= e.message;
    else loose.push(e.message);
  }
  const codeField = fieldOfCode[mapped.body.code];
  if (codeField && formFields.includes(codeField)) fields[codeField] ??= mapped.body.message;
  const hasFields = Object.keys(fields).length > 0;
  const summary =
    hasFields && !loose.length
      ? '提交未成功，请按提示修改标红的项目。'
      : loose.length
        ? loose.join('；')
        : mapped.body.message;
  return { summary, fields };
}

/**
 * Where an action returns (`back` in its form): a page of this site under /app (a list with its
 * filters, a teacher's page), else `fallback`. Never another site.
 */
export function backTo(body: FormBody | undefined, fallback: string): string {
  const back = field(body, 'back');
  return /^\/app(?:[/?][^\\\s]*)?$/.test(back) && !back.startsWith('/app//') ? back : fallback;
}

/** Where a "back" link posted by a form may go: only a page of this area. */
export function safeBack(value: unknown, prefix: string, fallback: string): string {
  return typeof value === 'string' && value.startsWith(prefix) && !value.startsWith('//') && value.length < 500
    ? value
    : fallback;
}

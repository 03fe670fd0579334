import Handlebars from 'handlebars';
import { formatDate, formatDateTime, formatDateTimeSeconds, formatMoney, formatTime } from './format';
import { AUDIT_ACTIONS, AUDIT_ENTITIES, FIELD_LABELS, GENDER_LABELS, roleLabel, statusLabel } from './labels';

const esc = Handlebars.escapeExpression;
const same = (a: unknown, b: unknown) =>
  a !== undefined && a !== null && b !== undefined && b !== null && String(a) === String(b);
const truthy = (v: unknown) => v === true || v === 'true' || v === 'on' || v === 1 || v === '1';
/** Handlebars passes its options object as the last argument; drop it. */
const args = (list: unknown[]) => list.slice(0, -1);

/**
 * The Handlebars instance of the pages, with the helpers templates may use. Every helper
 * escapes what it outputs; templates print user data only with `{{ }}` (escaped), never `{{{ }}}`.
 */
export function createViewEngine(): typeof Handlebars {
  const hbs = Handlebars.create();
  hbs.registerHelper({
    eq: (a: unknown, b: unknown) => same(a, b),
    ne: (a: unknown, b: unknown) => !same(a, b),
    and: (...a: unknown[]) => args(a).every(Boolean),
    or: (...a: unknown[]) => args(a).some(Boolean),
    not: (a: unknown) => !a,
    gt: (a: unknown, b: unknown) => Number(a) > Number(b),
    /** `selected` when the option's value is the current one (or among the current ones). */
    selected: (value: unknown, current: unknown) =>
      (Array.isArray(current) ? current.some((c) => same(value, c)) : same(value, current)) ? 'selected' : '',
    status: (kind: string, code: string) => {
      if (!code) return '';
      const { label, tone } = statusLabel(kind, code);
      return new hbs.SafeString(`<span class="tag tag-${tone}">${esc(label)}</span>`);
    },
    yesno: (value: unknown) =>
      new hbs.SafeString(
        truthy(value) ? '<span class="tag tag-info">是</span>' : '<span class="tag tag-neutral">否</span>',
      ),
    date: (v: unknown) => formatDate(v),
    datetime: (v: unknown) => formatDateTime(v),
    datetimes: (v: unknown) => formatDateTimeSeconds(v),
    time: (v: unknown) => formatTime(v),
    money: (v: unknown) => formatMoney(v),
    role: (v: string) => roleLabel(v),
    gender: (v: string) => GENDER_LABELS[v] ?? '',
    auditAction: (v: string) => AUDIT_ACTIONS[v] ?? v,
    auditEntity: (v: string) => AUDIT_ENTITIES[v] ?? v,
    fieldNames: (v: string | null) =>
      v
        ? v
            .split(',')
            .map((f) => FIELD_LABELS[f] ?? f)
            .join('、')
        : '',
    join: (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : '、') : ''),
    /** Text or a dash for empty values. */
    dash: (v: unknown) => (v === null || v === undefined || v === '' ? '—' : String(v)),
  });
  /** `{{checked flag}}` for a boolean, `{{checked value current}}` for one of several values. */
  hbs.registerHelper('checked', (...a: unknown[]) => {
    const [value, current] = args(a);
    const hit =
      a.length > 2
        ? Array.isArray(current)
          ? current.some((c) => same(value, c))
          : same(value, current)
        : truthy(value);
    return hit ? 'checked' : '';
  });
  return hbs;
}

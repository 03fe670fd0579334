import { calendarDateZh } from '@shipei/core';
import { iso } from '../dto/iso';

/** Who a message goes to; the channels follow from what is known (an account, a phone, an address). */
export interface Recipient {
  userId: number | null;
  teacherId: number | null;
  phone: string | null;
  email: string | null;
}

/** A message to one or more people, as the outbox writes it. */
export interface Message {
  type: string;
  title: string;
  body: string;
  /** A path of the app (/app/…), made absolute with PUBLIC_BASE_URL in e-mails. */
  link: string | null;
  /** The SMS template's variables (short values: Aliyun/Tencent cap each at 20–35 characters). */
  smsParams: Record<string, string>;
  /** With the recipient, unique: `e:<eventId>` for an event, a reminder's own key otherwise. */
  dedupeKey: string;
  recipients: Recipient[];
  /**
   * A message for the phone only (a password reset code): no inbox entry (the row is kept, with no
   * user, for its key and its delivery) and no e-mail.
   */
  smsOnly?: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** 2026-12-08 → 2026年12月8日; a date not yet set → 待定 */
export const cnDate = (day: string | Date | null | undefined): string => calendarDateZh(day) || '待定';

/** A moment in Beijing time: 12月8日 09:00 */
export function cnDateTime(at: Date | string | null | undefined): string {
  if (!at) return '待定';
  const d = new Date(new Date(iso(at)!).getTime() + 8 * 3600_000);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** SMS variables are short: cut to the provider's usual limit. */
export const short = (s: string, n = 20) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

/**
 * Authorisation rows of notifications (issue 17): the inbox is the caller's own (another's message
 * is 404 to everyone else, whatever their role); the delivery list and resend are the city's; the
 * password reset by SMS is public (and absent without SMS).
 * Fixture: a city program opened with a county A quota, which puts one message in county A's inbox.
 */
import { AuthzContext, only, RouteRow } from './authz';

export async function setup(ctx: AuthzContext): Promise<void> {
  const program = await ctx.api('city', 'POST', '/api/v1/programs', {
    kind: 'BACKBONE_SUMMER',
    year: 2033,
    title: '矩阵通知项目',
    seats: 50,
    creditHours: 24,
    certificatePrefix: 'AZNT',
  });
  await ctx.api('city', 'PUT', `/api/v1/programs/${program.id}/quotas`, [{ countyId: ctx.ids.countyA, seats: 5 }]);
  await ctx.api('city', 'POST', `/api/v1/programs/${program.id}/open`);
  const inbox = await ctx.api('countyA', 'GET', '/api/v1/me/notifications');
  ctx.ids.notifCountyA = inbox.items.find((i: { type: string }) => i.type === 'program.opened').id;
}

const everyone = { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 200, teacher: 200 };

export const routes: RouteRow[] = [
  { method: 'GET', path: '/api/v1/me/notifications', expect: everyone },
  { method: 'GET', path: '/api/v1/me/notifications?unread=true', expect: everyone },
  {
    method: 'POST',
    path: '/api/v1/me/notifications/{notifCountyA}/read',
    name: "read county A's message",
    expect: { anonymous: 401, city: 404, countyA: 200, countyB: 404, trainer: 404, teacher: 404 },
  },
  { method: 'POST', path: '/api/v1/me/notifications/read-all', expect: everyone },
  { method: 'GET', path: '/api/v1/notifications/deliveries', expect: only({ city: 200 }) },
  { method: 'GET', path: '/api/v1/notifications/deliveries?channel=SMS&status=FAILED', expect: only({ city: 200 }) },
  { method: 'POST', path: '/api/v1/notifications/deliveries/999999/resend', expect: only({ city: 404 }) },
  // Public, and absent without SMS (this app has none): 404 for everyone. The per-address throttle
  // counts the call first (rate_counter), on purpose.
  {
    method: 'POST',
    path: '/api/v1/auth/password-reset/code',
    name: 'password reset code (public; 404 without SMS)',
    body: { phone: '13800000000' },
    expect: { anonymous: 404, city: 404, countyA: 404, countyB: 404, trainer: 404, teacher: 404 },
    writesWhenDenied: true,
  },
  {
    method: 'POST',
    path: '/api/v1/auth/password-reset',
    name: 'password reset (public; 404 without SMS)',
    body: { phone: '13800000000', code: '123456', newPassword: 'Reset2026x' },
    expect: { anonymous: 404, city: 404, countyA: 404, countyB: 404, trainer: 404, teacher: 404 },
    writesWhenDenied: true,
  },
];

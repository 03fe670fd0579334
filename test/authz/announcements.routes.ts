/**
 * Authorisation rows of 通知公告 (issue 19, spec §15): the city and the counties post, a county only to
 * its own county (another county as audience: 403); a notice is read by the people it was addressed to,
 * the county that posted it and the city; files are added by the posting organisation only.
 * Fixtures: county A's notice to county A (the teacher actor, a county A teacher, is a recipient) and the
 * city's notice to county B (county B's administrator is a recipient).
 */
import { AuthzContext, only, RouteRow } from './authz';

export async function setup(ctx: AuthzContext): Promise<void> {
  ctx.ids.annCountyA = (
    await ctx.api('countyA', 'POST', '/api/v1/announcements', {
      title: '矩阵兰山通知',
      body: '正文',
      audience: { countyIds: [ctx.ids.countyA] },
    })
  ).id;
  ctx.ids.annCityB = (
    await ctx.api('city', 'POST', '/api/v1/announcements', {
      title: '矩阵市级通知',
      body: '正文',
      audience: { countyIds: [ctx.ids.countyB] },
    })
  ).id;
}

const everyone = { anonymous: 401, city: 200, countyA: 200, countyB: 200, trainer: 200, teacher: 200 };

export const routes: RouteRow[] = [
  {
    method: 'POST',
    path: '/api/v1/announcements',
    name: 'post to county A (county B may not)',
    body: ({ ctx }) => ({ title: '矩阵通知甲', body: '正文', audience: { countyIds: [ctx.ids.countyA] } }),
    expect: { anonymous: 401, city: 201, countyA: 201, countyB: 403, trainer: 403, teacher: 403 },
  },
  {
    method: 'POST',
    path: '/api/v1/announcements',
    name: 'post to county B (county A may not)',
    body: ({ ctx }) => ({ title: '矩阵通知乙', body: '正文', audience: { countyIds: [ctx.ids.countyB] } }),
    expect: { anonymous: 401, city: 201, countyA: 403, countyB: 201, trainer: 403, teacher: 403 },
  },
  {
    method: 'GET',
    path: '/api/v1/announcements',
    expect: everyone,
    check: (reply, { ctx, actor }) => {
      const ids = reply.body.items.map((i: { id: number }) => i.id);
      const seesA = ['city', 'countyA', 'teacher'].includes(actor);
      if (ids.includes(ctx.ids.annCountyA) !== seesA) throw new Error(`${actor}: county A's notice listed = ${!seesA}`);
    },
  },
  {
    method: 'GET',
    path: '/api/v1/announcements/{annCountyA}',
    name: "county A's notice to county A",
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 404, teacher: 200 },
    check: (reply, { actor }) => {
      const manages = actor === 'city' || actor === 'countyA';
      if ((reply.body.unread !== null) !== manages || (reply.body.recipients !== null) !== manages)
        throw new Error(`${actor}: read counts shown = ${!manages}`);
    },
  },
  {
    method: 'GET',
    path: '/api/v1/announcements/{annCityB}',
    name: "the city's notice to county B",
    expect: { anonymous: 401, city: 200, countyA: 404, countyB: 200, trainer: 404, teacher: 404 },
  },
  {
    method: 'POST',
    path: '/api/v1/announcements/{annCountyA}/read',
    name: "mark county A's notice read",
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 404, teacher: 200 },
  },
  {
    method: 'POST',
    path: '/api/v1/announcements/{annCountyA}/attachments',
    name: "attach a file to county A's notice (its author only)",
    upload: () => ({ field: 'file', content: Buffer.from('%PDF-1.4\n%%EOF\n'), filename: '报到须知.pdf' }),
    expect: { anonymous: 401, city: 404, countyA: 200, countyB: 404, trainer: 403, teacher: 403 },
    check: (reply, { ctx }) => {
      ctx.ids.annFileA = reply.body.attachments[0].id;
    },
  },
  {
    method: 'GET',
    path: '/api/v1/announcements/{annCountyA}/attachments/{annFileA}',
    name: "county A's notice's file",
    expect: { anonymous: 401, city: 200, countyA: 200, countyB: 404, trainer: 404, teacher: 200 },
  },
  {
    method: 'GET',
    path: '/api/v1/announcements/{annCityB}/attachments/999999',
    expect: only({ city: 404, countyB: 404 }, 404),
  },
];

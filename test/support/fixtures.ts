import { DataSource } from 'typeorm';
import TestAgent from 'supertest/lib/agent';
import { ADMIN_PASSWORD } from './test-app';

/** Valid 身份证号 for tests: a region, a birth date and a serial, with the GB 11643 check digit. */
export function makeIdNumber(serial: number, region = '371302', birth?: string): string {
  // 1,000 serials per birth date, then the next day: unique for any realistic test size.
  const day = new Date(Date.UTC(1970, 0, 1) + Math.floor(serial / 1000) * 86_400_000);
  const b = birth ?? day.toISOString().slice(0, 10).replace(/-/g, '');
  const body = `${region}${b}${String(serial % 1000).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = body.split('').reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

/** Distinct valid mobile numbers. */
export function makePhone(n: number): string {
  return `139${String(n).padStart(8, '0')}`;
}

export async function login(http: TestAgent, username: string, password: string): Promise<string> {
  const res = await http.post('/api/v1/auth/login').send({ username, password });
  if (res.status !== 200) throw new Error(`login ${username} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken as string;
}

export const adminToken = (http: TestAgent) => login(http, 'admin', ADMIN_PASSWORD);

export async function countyIdByCode(db: DataSource, code: string): Promise<number> {
  const [row] = await db.query(`SELECT id FROM organisation WHERE code = ?`, [code]);
  return Number(row.id);
}

/**
 * A county admin account that has already changed its one-time password;
 * returns its token. Uses the real API end to end.
 */
export async function countyAdmin(http: TestAgent, admin: string, countyId: number, username: string): Promise<string> {
  const created = await http
    .post('/api/v1/users')
    .auth(admin, { type: 'bearer' })
    .send({ username, password: 'Init1234x', role: 'COUNTY_ADMIN', organisationId: countyId });
  if (created.status !== 201) throw new Error(`create ${username} → ${created.status} ${JSON.stringify(created.body)}`);
  const first = await login(http, username, 'Init1234x');
  const changed = await http
    .post('/api/v1/auth/password')
    .auth(first, { type: 'bearer' })
    .send({ currentPassword: 'Init1234x', newPassword: 'County1234' });
  if (changed.status !== 200) throw new Error(`password ${username} → ${changed.status}`);
  return changed.body.accessToken as string;
}

export async function createSchool(
  http: TestAgent,
  token: string,
  countyId: number,
  name: string,
  flags: { povertyVillage?: boolean; receivingSchool?: boolean } = {},
): Promise<number> {
  const res = await http
    .post('/api/v1/organisations')
    .auth(token, { type: 'bearer' })
    .send({
      type: 'SCHOOL',
      name,
      parentId: countyId,
      povertyVillage: flags.povertyVillage ?? true,
      receivingSchool: flags.receivingSchool ?? false,
    });
  if (res.status !== 201) throw new Error(`school ${name} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as number;
}

export async function createTeacher(
  http: TestAgent,
  token: string,
  schoolId: number,
  n: number,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const res = await http
    .post('/api/v1/teachers')
    .auth(token, { type: 'bearer' })
    .send({ name: `教师${n}`, idNumber: makeIdNumber(n), phone: makePhone(n), schoolId, ...extra });
  if (res.status !== 201) throw new Error(`teacher ${n} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as number;
}

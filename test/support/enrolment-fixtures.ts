import * as ExcelJS from 'exceljs';
import TestAgent from 'supertest/lib/agent';
import { login } from './fixtures';

/** Fixtures of the programs/enrolment suites (issue 4). */

/** An account of any role that has already changed its one-time password: `{id, token}`. */
export async function account(
  http: TestAgent,
  creator: string,
  body: { username: string; role: string; organisationId?: number; teacherId?: number; displayName?: string },
): Promise<{ id: number; token: string }> {
  const created = await http
    .post('/api/v1/users')
    .auth(creator, { type: 'bearer' })
    .send({ password: 'Init1234x', ...body });
  if (created.status !== 201)
    throw new Error(`user ${body.username} → ${created.status} ${JSON.stringify(created.body)}`);
  const first = await login(http, body.username, 'Init1234x');
  const changed = await http
    .post('/api/v1/auth/password')
    .auth(first, { type: 'bearer' })
    .send({ currentPassword: 'Init1234x', newPassword: 'Changed1234' });
  if (changed.status !== 200) throw new Error(`password ${body.username} → ${changed.status}`);
  return { id: created.body.id as number, token: changed.body.accessToken as string };
}

export const programBody = (over: Record<string, unknown> = {}) => ({
  kind: 'BACKBONE_SUMMER',
  year: 2019,
  title: '2019年全市贫困村学校骨干教师暑期培训',
  seats: 400,
  creditHours: 48,
  attendanceThreshold: 0.8,
  nominationDeadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  certificatePrefix: 'LYGG',
  ...over,
});

/** Creates a program (and opens it unless `open: false`); returns its id. */
export async function createProgram(
  http: TestAgent,
  token: string,
  over: Record<string, unknown> = {},
  open = true,
): Promise<number> {
  const res = await http.post('/api/v1/programs').auth(token, { type: 'bearer' }).send(programBody(over));
  if (res.status !== 201) throw new Error(`program → ${res.status} ${JSON.stringify(res.body)}`);
  if (open) {
    const o = await http.post(`/api/v1/programs/${res.body.id}/open`).auth(token, { type: 'bearer' });
    if (o.status !== 200) throw new Error(`open → ${o.status} ${JSON.stringify(o.body)}`);
  }
  return res.body.id as number;
}

export async function setQuotas(
  http: TestAgent,
  token: string,
  programId: number,
  quotas: { countyId: number; seats: number }[],
): Promise<void> {
  const res = await http.put(`/api/v1/programs/${programId}/quotas`).auth(token, { type: 'bearer' }).send(quotas);
  if (res.status !== 200) throw new Error(`quotas → ${res.status} ${JSON.stringify(res.body)}`);
}

/** An .xlsx with these rows (the first sheet), cells written as text where strings are given. */
export async function xlsx(rows: (string | number | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名单');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function readXlsx(content: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(content as unknown as ArrayBuffer);
  return wb.worksheets[0];
}

/** A supertest parser that keeps a binary body as a Buffer. */
export const binary = (res: any, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

import { ProgramsModule, ProgramsService } from '@shipei/programs';
import { programBody } from '../support/enrolment-fixtures';
import { countyIdByCode } from '../support/fixtures';
import { actorOf, ServiceModule, startServiceModule } from '../support/service-module';

// Moved from test/programs.e2e-spec.ts: rules of ProgramsService, called directly. The HTTP side of
// these routes (status codes, bodies, guards) stays covered there, in the authz matrix and the contract test.
describe('ProgramsService (service tier)', () => {
  let s: ServiceModule;
  let programs: ProgramsService;
  let lanshan: number;
  let luozhuang: number;
  const city = actorOf('CITY_ADMIN');
  const county = (countyId: number) => actorOf('COUNTY_ADMIN', { countyId, organisationId: countyId });

  beforeAll(async () => {
    s = await startServiceModule(ProgramsModule);
    programs = s.get(ProgramsService);
    lanshan = await countyIdByCode(s.db, '371302');
    luozhuang = await countyIdByCode(s.db, '371311');
  }, 120_000);
  afterAll(async () => s?.close(), 60_000);

  it('a county creates only COUNTY_THEMATIC programs, which it owns with all seats as its quota', async () => {
    await expect(programs.create(county(lanshan), programBody() as any)).rejects.toMatchObject({
      status: 403,
      code: 'KIND_NOT_ALLOWED',
    });
    await expect(programs.create(city, programBody({ kind: 'COUNTY_THEMATIC' }) as any)).rejects.toMatchObject({
      status: 403,
      code: 'KIND_NOT_ALLOWED',
    });
    const own = await programs.create(
      county(lanshan),
      programBody({
        kind: 'COUNTY_THEMATIC',
        title: '兰山区乡村教师信息素养专题培训',
        seats: 60,
        certificatePrefix: 'LSZT',
      }) as any,
    );
    expect(own).toMatchObject({ ownerCountyId: lanshan, ownerOrganisationId: lanshan });
    const quotas = await s.db.query('SELECT countyId, seats, nominatedCount FROM county_quota WHERE programId = ?', [
      own.id,
    ]);
    expect(quotas.map((q: Record<string, unknown>) => [q.countyId, q.seats, q.nominatedCount].map(Number))).toEqual([
      [lanshan, 60, 0],
    ]);
    // Another county does not see it at all; the city oversees it.
    await expect(programs.get(s.db.manager, county(luozhuang), own.id)).rejects.toMatchObject({ status: 404 });
    await expect(programs.transition(county(luozhuang), own.id, 'open')).rejects.toMatchObject({ status: 404 });
    expect((await programs.get(s.db.manager, city, own.id)).id).toBe(own.id);
  });

  it('moves DRAFT → OPEN → CLOSED → RUNNING → FINISHED, each step checked and audited', async () => {
    const { id } = await programs.create(city, programBody() as any);
    const skip = programs.transition(city, id, 'start');
    await expect(skip).rejects.toMatchObject({ status: 409, code: 'INVALID_PROGRAM_TRANSITION' });
    await expect(skip).rejects.toThrow(/草稿/);
    expect((await programs.transition(city, id, 'open')).status).toBe('OPEN');
    await expect(programs.transition(city, id, 'open')).rejects.toMatchObject({ code: 'INVALID_PROGRAM_TRANSITION' });
    await expect(programs.transition(city, id, 'finish')).rejects.toMatchObject({ status: 409 });
    expect((await programs.transition(city, id, 'close')).status).toBe('CLOSED');
    expect((await programs.transition(city, id, 'start')).status).toBe('RUNNING');
    await expect(programs.transition(city, id, 'close')).rejects.toMatchObject({ status: 409 });
    expect((await programs.transition(city, id, 'finish')).status).toBe('FINISHED');
    await expect(programs.transition(city, id, 'finish')).rejects.toMatchObject({ status: 409 });
    const audit = await s.db.query(`SELECT action FROM audit_entry WHERE entity = 'program' AND entityId = ?`, [
      String(id),
    ]);
    expect(audit.map((a: { action: string }) => a.action).sort()).toEqual([
      'close',
      'create',
      'finish',
      'open',
      'start',
    ]);
  });
});

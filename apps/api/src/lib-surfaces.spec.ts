import { INJECTABLE_WATERMARK, MODULE_METADATA } from '@nestjs/common/constants';
import * as attendance from '@shipei/attendance';
import * as audit from '@shipei/audit';
import * as auth from '@shipei/auth';
import * as certificates from '@shipei/certificates';
import * as core from '@shipei/core';
import * as enrolment from '@shipei/enrolment';
import * as people from '@shipei/people';
import * as programs from '@shipei/programs';
import * as records from '@shipei/records';
import * as talentSupport from '@shipei/talent-support';
import * as web from '@shipei/web';

type Surface = Record<string, unknown>;

/**
 * A lib's surface is its index.ts: whatever injectable it lists there, another lib may ask for, so
 * the lib's module must provide it and export it (no `moduleRef.get(X, { strict: false })` to reach
 * a service the module keeps to itself). Read from the Nest metadata of the classes themselves.
 */
const LIBS: [name: string, surface: Surface, moduleName: string][] = [
  ['core', core, 'CoreModule'],
  ['audit', audit, 'AuditModule'],
  ['people', people, 'PeopleModule'],
  ['auth', auth, 'AuthModule'],
  ['programs', programs, 'ProgramsModule'],
  ['enrolment', enrolment, 'EnrolmentModule'],
  ['attendance', attendance, 'AttendanceModule'],
  ['talent-support', talentSupport, 'TalentSupportModule'],
  ['certificates', certificates, 'CertificatesModule'],
  ['records', records, 'RecordsModule'],
  ['web', web, 'WebModule'],
];

/** Pipes, guards, filters and interceptors are named in decorators (`@Param('id', IdPipe)`), not injected. */
const ENHANCER_METHODS = ['transform', 'canActivate', 'catch', 'intercept'];

function injectables(surface: Surface): string[] {
  return Object.entries(surface)
    .filter(([, value]) => typeof value === 'function' && Reflect.getMetadata(INJECTABLE_WATERMARK, value) === true)
    .filter(
      ([, value]) =>
        !ENHANCER_METHODS.some(
          (m) => typeof (value as { prototype?: Record<string, unknown> }).prototype?.[m] === 'function',
        ),
    )
    .map(([name]) => name)
    .sort();
}

/** Class names of a module's providers or exports; a dynamic module (CoreModule.forRoot) lists them on its result. */
function listed(mod: unknown, key: 'providers' | 'exports'): string[] {
  const dynamic = (mod as { forRoot?: (o: unknown) => Record<string, unknown[]> }).forRoot;
  const items: unknown[] =
    Reflect.getMetadata(MODULE_METADATA[key.toUpperCase() as 'PROVIDERS' | 'EXPORTS'], mod as object) ??
    (dynamic ? (dynamic.call(mod, { config: {} })[key] ?? []) : []);
  return items
    .map((p) => (typeof p === 'function' ? p.name : ((p as { provide?: { name?: string } })?.provide?.name ?? '')))
    .filter(Boolean);
}

describe('lib surfaces', () => {
  it.each(LIBS)(
    '%s: every injectable of index.ts is provided and exported by its module',
    (_name, surface, moduleName) => {
      const mod = surface[moduleName];
      expect(typeof mod).toBe('function');
      const providers = listed(mod, 'providers');
      const exported = listed(mod, 'exports');
      const found = injectables(surface);
      expect(found.filter((n) => !providers.includes(n))).toEqual([]);
      expect(found.filter((n) => !exported.includes(n))).toEqual([]);
    },
  );

  it('finds the injectables it checks (the check is not vacuous)', () => {
    expect(injectables(programs)).toEqual(expect.arrayContaining(['ProgramsService', 'CohortsService']));
    expect(listed(core.CoreModule, 'exports')).toEqual(expect.arrayContaining(['TransactionRunner', 'AccessPolicy']));
  });
});

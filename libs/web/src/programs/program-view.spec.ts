import type { Actor } from '@shipei/core';
import { safeBack } from '../shared/forms';
import { hoursCheck } from './cohorts-pages.controller';
import {
  creatableKinds,
  decimal,
  mayNominate,
  ownsProgram,
  percent,
  shanghaiInstant,
  splitShanghai,
  tickedIds,
} from './program-view';

const actor = (role: Actor['role'], countyId: number | null = null) =>
  ({ userId: 1, role, organisationId: countyId, countyId, teacherId: null }) as unknown as Actor;

describe('program pages: view helpers', () => {
  it('turns a Shanghai date and time into an instant and back', () => {
    expect(shanghaiInstant('2019-06-30', '17:00')).toBe('2019-06-30T17:00:00+08:00');
    expect(new Date(shanghaiInstant('2019-06-30', '17:00')!).toISOString()).toBe('2019-06-30T09:00:00.000Z');
    expect(shanghaiInstant('2019-06-30', '')).toBe('2019-06-30T00:00:00+08:00');
    expect(shanghaiInstant('', '17:00')).toBeUndefined();
    expect(splitShanghai('2019-06-30T16:30:00.000Z')).toEqual({ date: '2019-07-01', time: '00:30' });
    expect(splitShanghai(null)).toEqual({ date: '', time: '' });
  });

  it('reads decimals and ticked ids from forms, leaving bad text for the DTO to explain', () => {
    expect(decimal(' 3.5 ')).toBe(3.5);
    expect(decimal('abc')).toBe('abc');
    expect(decimal('')).toBeUndefined();
    expect(tickedIds({ ids: ['3', '1', '3', 'x', '-2', '0'] })).toEqual([3, 1]);
    expect(tickedIds({ ids: '7' })).toEqual([7]);
    expect(tickedIds({})).toEqual([]);
  });

  it('shows rates and the session hours against the program', () => {
    expect(percent(0.8)).toBe('80%');
    expect(percent(0.8333)).toBe('83.33%');
    expect(percent(null)).toBe('—');
    expect(hoursCheck(6, 6)).toEqual({ text: '与项目学时一致', tone: 'success' });
    expect(hoursCheck(3, 6).text).toBe('比项目学时少 3 学时');
    expect(hoursCheck(7.5, 6).text).toBe('比项目学时多 1.5 学时');
  });

  it('offers each role the buttons its access rule allows', () => {
    const city = actor('CITY_ADMIN');
    const lanshan = actor('COUNTY_ADMIN', 2);
    expect(creatableKinds(city).map((k) => k.value)).toEqual(['BACKBONE_SUMMER', 'OTHER']);
    expect(creatableKinds(lanshan).map((k) => k.value)).toEqual(['COUNTY_THEMATIC']);
    expect(ownsProgram(city, { ownerCountyId: 2 })).toBe(true);
    expect(ownsProgram(lanshan, { ownerCountyId: 2 })).toBe(true);
    expect(ownsProgram(lanshan, { ownerCountyId: null })).toBe(false);
    expect(ownsProgram(lanshan, { ownerCountyId: 3 })).toBe(false);
    expect(mayNominate(lanshan, { ownerCountyId: null, status: 'OPEN' })).toBe(true);
    expect(mayNominate(lanshan, { ownerCountyId: null, status: 'CLOSED' })).toBe(false);
    expect(mayNominate(lanshan, { ownerCountyId: 3, status: 'OPEN' })).toBe(false);
    expect(mayNominate(city, { ownerCountyId: null, status: 'OPEN' })).toBe(false);
  });

  it('only goes back to pages of this site', () => {
    expect(safeBack('/app/programs/1/enrolments?status=NOMINATED', '/app/programs/1/enrolments', '/x')).toBe(
      '/app/programs/1/enrolments?status=NOMINATED',
    );
    expect(safeBack('https://evil.example/app', '/app/', '/x')).toBe('/x');
    expect(safeBack('//evil.example', '/', '/x')).toBe('/x');
    expect(safeBack(undefined, '/app/', '/x')).toBe('/x');
  });
});

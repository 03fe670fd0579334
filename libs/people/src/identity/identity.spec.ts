import { maskIdNumber, maskPhone } from './mask';
import { isResidentId, normaliseIdNumber, parseResidentId } from './resident-id';

describe('resident ID (GB 11643)', () => {
  it.each(['11010519491231002X', '320124198808240056', '110108196711301862', '120223198902021249'])(
    'accepts %s',
    (id) => {
      expect(isResidentId(id)).toBe(true);
    },
  );

  it.each([
    '110108196711301866',
    '130402198207290622',
    '11010519491231002',
    '1101051949123100XX',
    '110105194913310020',
    '',
  ])('refuses %s', (id) => {
    expect(isResidentId(id)).toBe(false);
  });

  it('normalises spaces, a lower-case x and full-width characters', () => {
    expect(normaliseIdNumber(' 11010519491231002x ')).toBe('11010519491231002X');
    expect(normaliseIdNumber('１１０１０５１９４９１２３１００２Ｘ')).toBe('11010519491231002X');
    expect(isResidentId('11010519491231002x')).toBe(true);
  });

  it('derives gender and birth date', () => {
    expect(parseResidentId('11010519491231002X')).toEqual({ gender: 'F', birthDate: '1949-12-31' });
    expect(parseResidentId('320124198808240056')).toEqual({ gender: 'M', birthDate: '1988-08-24' });
  });
});

describe('masks', () => {
  it('keeps region and last four of an ID and 3+4 of a phone', () => {
    expect(maskIdNumber('371302198001011234')).toBe('371302********1234');
    expect(maskPhone('13912345678')).toBe('139****5678');
    expect(maskIdNumber('')).toBe('');
  });
});

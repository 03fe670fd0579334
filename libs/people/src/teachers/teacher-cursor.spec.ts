import { roughly } from '@shipei/core';
import { decodeCursor, encodeCursor } from './teacher-cursor';

describe('teacher list cursors', () => {
  it('round-trips an id key and a (name, id) key', () => {
    expect(decodeCursor(encodeCursor({ byName: false, id: 42 }), false, 'after')).toEqual({ byName: false, id: 42 });
    const named = encodeCursor({ byName: true, name: '王小明', id: 7 });
    expect(named).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(named, true, 'before')).toEqual({ byName: true, name: '王小明', id: 7 });
  });

  it('refuses what is not a cursor of the list asked for, with a Chinese message naming the field', () => {
    const id = encodeCursor({ byName: false, id: 42 });
    for (const [cursor, byName] of [
      ['bm9wZQ', false],
      [id, true],
      [encodeCursor({ byName: true, name: '王', id: 1 }), false],
      [Buffer.from('[0]').toString('base64url'), false],
      [Buffer.from('[1.5]').toString('base64url'), false],
      [Buffer.from('[9007199254740993]').toString('base64url'), false],
    ] as const)
      expect(() => decodeCursor(cursor, byName, 'after')).toThrow(
        expect.objectContaining({ code: 'INVALID_CURSOR', message: expect.stringContaining('after') }),
      );
  });

  it('rounds an estimate to two significant figures', () => {
    expect([37, 10_049, 12_345, 1_234_567].map(roughly)).toEqual([37, 10_000, 12_000, 1_200_000]);
  });
});

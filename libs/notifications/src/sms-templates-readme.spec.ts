import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MESSAGE_TYPE_LABELS } from './labels';
import { templateVar } from './outbox/outbox';

/** The README's table is what a bureau registers its SMS templates from: a message type added without a row there would go out as 未发送. */
describe('README SMS template table', () => {
  const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
  const rows = new Set([...readme.matchAll(/^\| `SMS_TEMPLATE_([A-Z_]+)` \|/gm)].map((m) => m[1]));

  it.each(Object.keys(MESSAGE_TYPE_LABELS))('lists %s', (type) => {
    expect(rows.has(templateVar(type))).toBe(true);
  });

  it('lists no type that does not exist', () => {
    const known = new Set(Object.keys(MESSAGE_TYPE_LABELS).map(templateVar));
    expect([...rows].filter((r) => !known.has(r))).toEqual([]);
  });
});

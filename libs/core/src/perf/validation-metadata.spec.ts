import 'reflect-metadata';
import { getMetadataStorage, IsInt, IsString, Min, validate } from 'class-validator';
import { memoiseValidationMetadata } from './validation-metadata';

class Base {
  @IsString()
  name!: string;
}
class Child extends Base {
  @IsInt()
  @Min(1, { groups: ['strict'] })
  n!: number;
}

const invalid = () => Object.assign(new Child(), { name: 3, n: 0 });
const summary = async (groups?: string[]) =>
  (await validate(invalid(), groups ? { groups } : {}))
    .map((e) => [e.property, Object.keys(e.constraints ?? {}).sort()])
    .sort();
const tuples: [string, boolean, boolean, string[] | undefined][] = [
  ['', false, false, undefined],
  ['', false, false, ['strict']],
  ['', true, false, undefined],
  ['', false, true, undefined],
];

describe('memoiseValidationMetadata', () => {
  it('gives the same rules and the same validation results as the plain lookup, then serves repeats from memory', async () => {
    const storage = getMetadataStorage();
    const before = tuples.map((t) =>
      storage
        .getTargetValidationMetadatas(Child, ...t)
        .map((m) => `${m.propertyName}:${m.name ?? m.type}`)
        .sort(),
    );
    const results = [await summary(), await summary(['strict'])];
    expect(before[0]).toEqual(expect.arrayContaining([expect.stringMatching(/^name:/), expect.stringMatching(/^n:/)])); // inherited and own

    memoiseValidationMetadata();
    memoiseValidationMetadata(); // idempotent: wrapping twice would still work, but must not stack
    const after = tuples.map((t) =>
      storage
        .getTargetValidationMetadatas(Child, ...t)
        .map((m) => `${m.propertyName}:${m.name ?? m.type}`)
        .sort(),
    );
    expect(after).toEqual(before);
    expect([await summary(), await summary(['strict'])]).toEqual(results);
    const first = storage.getTargetValidationMetadatas(Child, '', false, false);
    expect(storage.getTargetValidationMetadatas(Child, '', false, false)).toBe(first);
    expect(storage.getTargetValidationMetadatas(Child, '', false, false, ['strict'])).not.toBe(first);
  });
});

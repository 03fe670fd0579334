import { MAX_INPUT_DEPTH, nestedDeeperThan } from './validation-errors';

describe('nestedDeeperThan', () => {
  const nest = (n: number): unknown => Array.from({ length: n }).reduce<unknown>((inner) => ({ a: inner }), 1);

  it('measures objects and arrays without recursion, so 100,000 levels do not overflow the stack', () => {
    expect(nestedDeeperThan({ a: [1, { b: 'x' }], c: null }, MAX_INPUT_DEPTH)).toBe(false);
    expect(nestedDeeperThan(nest(MAX_INPUT_DEPTH), MAX_INPUT_DEPTH)).toBe(false);
    expect(nestedDeeperThan(nest(MAX_INPUT_DEPTH + 1), MAX_INPUT_DEPTH)).toBe(true);
    expect(nestedDeeperThan(JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), MAX_INPUT_DEPTH)).toBe(true);
    expect(nestedDeeperThan('text', 0)).toBe(false);
  });
});

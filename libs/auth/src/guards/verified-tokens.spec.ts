import { expiryOf, VerifiedTokens } from './verified-tokens';

describe('VerifiedTokens', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('returns what was remembered for the same token text only', () => {
    const tokens = new VerifiedTokens<string>(10, clock);
    tokens.remember('a.b.c', 'actor', now + 60_000);
    expect(tokens.get('a.b.c')).toBe('actor');
    expect(tokens.get('a.b.d')).toBeUndefined();
  });

  it('forgets a token at its expiry and never keeps one without a future expiry', () => {
    const tokens = new VerifiedTokens<string>(10, clock);
    tokens.remember('t1', 'x', now + 1000);
    tokens.remember('t2', 'y', undefined);
    tokens.remember('t3', 'z', now);
    now += 999;
    expect(tokens.get('t1')).toBe('x');
    now += 1;
    expect(tokens.get('t1')).toBeUndefined();
    expect(tokens.get('t2')).toBeUndefined();
    expect(tokens.get('t3')).toBeUndefined();
    expect(tokens.size).toBe(0);
  });

  it('drops the oldest entry when full', () => {
    const tokens = new VerifiedTokens<number>(3, clock);
    for (let i = 1; i <= 4; i++) tokens.remember(`t${i}`, i, now + 60_000);
    expect(tokens.size).toBe(3);
    expect(tokens.get('t1')).toBeUndefined();
    expect([tokens.get('t2'), tokens.get('t3'), tokens.get('t4')]).toEqual([2, 3, 4]);
  });

  it('reads the exp claim of a compact token', () => {
    const payload = Buffer.from(JSON.stringify({ sub: 1, exp: 1_700_000_000 })).toString('base64url');
    expect(expiryOf(`h.${payload}.s`)).toBe(1_700_000_000_000);
    expect(expiryOf('not-a-token')).toBeUndefined();
    expect(expiryOf(`h.${Buffer.from('{"sub":1}').toString('base64url')}.s`)).toBeUndefined();
  });
});

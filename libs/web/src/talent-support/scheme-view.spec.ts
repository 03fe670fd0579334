import { yuanToFen } from './scheme-view';

describe('yuanToFen (amounts typed on the stipend pages)', () => {
  it('reads yuan with up to two decimals as whole fen, exactly', () => {
    expect(yuanToFen('1000.5')).toBe(100_050);
    expect(yuanToFen(' 20000 ')).toBe(2_000_000);
    expect(yuanToFen('0.29')).toBe(29); // 0.29 × 100 is 28.999… as a float
    expect(yuanToFen('1.07')).toBe(107);
    expect(yuanToFen('9999999.99')).toBe(999_999_999);
  });

  it('refuses what is not an amount', () => {
    for (const bad of ['', '12.345', '-5', '1e3', '１００', '10,000', '.5', '12345678', undefined, 12])
      expect(yuanToFen(bad)).toBeNull();
  });
});

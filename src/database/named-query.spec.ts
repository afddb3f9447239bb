import { constantList } from './named-query';

describe('constantList', () => {
  it('writes the code’s own constants as quoted literals, in order', () => {
    expect(constantList(['pending', 'confirmed', 'checked_in'])).toBe(
      "'pending', 'confirmed', 'checked_in'",
    );
  });

  it('refuses anything that is not a plain lower-case word, so nothing is ever written unquoted', () => {
    expect(() => constantList(['pending', "x') OR ('1' = '1"])).toThrow(
      "Not a constant for a statement: x') OR ('1' = '1",
    );
    expect(() => constantList([''])).toThrow('Not a constant for a statement');
  });
});

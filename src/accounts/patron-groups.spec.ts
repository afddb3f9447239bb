import { ageGroupOn, normaliseGroup, patronGroupOn } from './patron-groups';

describe('patron groups', () => {
  it.each([
    ['2014-12-02', 'child'],
    ['2014-12-01', 'teen'],
    ['2008-12-02', 'teen'],
    ['2008-12-01', 'adult'],
    [null, 'adult'],
  ])('puts a patron born %s in the %s group on 2026-12-01', (birthDate, group) => {
    expect(ageGroupOn(birthDate, '2026-12-01')).toBe(group);
  });

  it('prefers the group staff or the ILS gave over the one by age', () => {
    expect(
      patronGroupOn({ patronGroup: 'staff-family', birthDate: '2015-01-01' }, '2026-12-01'),
    ).toBe('staff-family');
    expect(patronGroupOn({ patronGroup: null, birthDate: '2015-01-01' }, '2026-12-01')).toBe(
      'child',
    );
  });

  it.each([
    ['  ADULT ', 'adult'],
    ['Juvenile Card', 'juvenile card'],
    ['', null],
    ['  ', null],
    [null, null],
    ['bad|type', null],
  ])('normalises the ILS type %p to %p', (raw, group) => {
    expect(normaliseGroup(raw)).toBe(group);
  });
});

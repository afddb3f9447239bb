import { weeklyProblems } from './hours.service';

describe(weeklyProblems.name, () => {
  it('accepts a split day and separate weekdays', () => {
    expect(
      weeklyProblems([
        { weekday: 1, opens: '09:00', closes: '12:00' },
        { weekday: 1, opens: '12:00', closes: '18:00' },
        { weekday: 2, opens: '09:00', closes: '18:00' },
      ]),
    ).toEqual([]);
  });

  it.each([
    [
      [{ weekday: 3, opens: '18:00', closes: '09:00' }],
      'intervals.0.closes must be later than opens',
    ],
    [
      [{ weekday: 3, opens: '09:00', closes: '09:00' }],
      'intervals.0.closes must be later than opens',
    ],
    [
      [
        { weekday: 4, opens: '13:00', closes: '18:00' },
        { weekday: 4, opens: '09:00', closes: '14:00' },
      ],
      'intervals overlap on weekday 4 (09:00–14:00 and 13:00–18:00)',
    ],
  ])('finds the problem in %j', (intervals, problem) => {
    expect(weeklyProblems(intervals)).toEqual([problem]);
  });
});

import { csvCell } from './csv';

describe(csvCell.name, () => {
  it.each([
    ['=HYPERLINK("https://evil.example","Click")', `'=HYPERLINK("https://evil.example","Click")`],
    ['+1 555 0100', "'+1 555 0100"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
    ['Podcast studio', 'Podcast studio'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('writes the text %p as %p', (text, cell) => {
    expect(csvCell(text)).toBe(cell);
  });

  it.each([0, -3, 12.5, null])('leaves %p as it is', (value) => {
    expect(csvCell(value)).toBe(value);
  });
});

import { keepsALibrarian, StaffAccountState } from './staff-rules';

const librarian: StaffAccountState = { role: 'librarian', disabled: false };
const desk: StaffAccountState = { role: 'staff', disabled: false };
const off = (s: StaffAccountState): StaffAccountState => ({ ...s, disabled: true });

describe(keepsALibrarian.name, () => {
  it.each([
    ['demoting the last librarian', librarian, desk, 0, 'LAST_LIBRARIAN'],
    ['switching off the last librarian', librarian, off(librarian), 0, 'LAST_LIBRARIAN'],
    ['demoting and switching off the last one', librarian, off(desk), 0, 'LAST_LIBRARIAN'],
    ['demoting a librarian while another is active', librarian, desk, 1, null],
    ['switching off a librarian while another is active', librarian, off(librarian), 2, null],
    ['renaming nothing about the last librarian', librarian, librarian, 0, null],
    ['switching off desk staff with no librarian left', desk, off(desk), 0, null],
    ['promoting desk staff', desk, librarian, 0, null],
    ['switching a disabled librarian back on', off(librarian), librarian, 0, null],
    ['demoting a disabled librarian', off(librarian), off(desk), 0, null],
  ])('%s', (_case, before, after, others, code) => {
    expect(keepsALibrarian(before, after, others)?.code ?? null).toBe(code);
  });
});

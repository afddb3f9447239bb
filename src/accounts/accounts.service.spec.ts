import { FREE_ATTEMPTS, lockSeconds } from './sign-in-locks';
import { hashSecret, verifySecret } from './secrets';

describe(lockSeconds.name, () => {
  it.each([
    [0, 0],
    [FREE_ATTEMPTS - 1, 0],
    [FREE_ATTEMPTS, 30],
    [FREE_ATTEMPTS + 1, 60],
    [FREE_ATTEMPTS + 3, 240],
    [FREE_ATTEMPTS + 20, 3600],
  ])('locks for %i failures in a row: %i seconds', (failures, seconds) => {
    expect(lockSeconds(failures)).toBe(seconds);
  });
});

describe('secret hashing', () => {
  it('verifies the right PIN and refuses a wrong one', async () => {
    const stored = await hashSecret('1234');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    await expect(verifySecret('1234', stored)).resolves.toBe(true);
    await expect(verifySecret('1235', stored)).resolves.toBe(false);
  });

  it('salts each hash, so equal PINs do not look equal', async () => {
    expect(await hashSecret('1234')).not.toBe(await hashSecret('1234'));
  });
});

import { QueryFailedError } from 'typeorm';
import { storageException, storageFault } from './storage-errors';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });
const query = (driverError: Error) => new QueryFailedError('INSERT …', [], driverError);

describe(storageFault.name, () => {
  it.each([
    ['SQLite: database or disk is full', query(withCode('SQLITE_FULL')), 'full'],
    ['SQLite: a read-only file', query(withCode('SQLITE_READONLY')), 'read-only'],
    ['SQLite: a read-only folder', withCode('SQLITE_READONLY_DIRECTORY'), 'read-only'],
    ['SQLite: a write that failed on disk', query(withCode('SQLITE_IOERR_WRITE')), 'down'],
    ['SQLite: a file it cannot open', withCode('SQLITE_CANTOPEN'), 'down'],
    ['SQLite: a damaged file', withCode('SQLITE_CORRUPT'), 'down'],
    ['SQLite: not a database', withCode('SQLITE_NOTADB'), 'down'],
    ['PostgreSQL: disk full', query(withCode('53100')), 'full'],
    ['PostgreSQL: out of memory', query(withCode('53200')), 'down'],
    ['PostgreSQL: too many connections', withCode('53300'), 'down'],
    ['PostgreSQL: connection failure', query(withCode('08006')), 'down'],
    ['PostgreSQL: server shut down by an administrator', query(withCode('57P01')), 'down'],
    ['PostgreSQL: server crashed', query(withCode('57P02')), 'down'],
    ['PostgreSQL: server starting up', withCode('57P03'), 'down'],
    ['PostgreSQL: read-only transaction', query(withCode('25006')), 'read-only'],
    [
      'PostgreSQL: the connection went away',
      query(new Error('Connection terminated unexpectedly')),
      'down',
    ],
    ['a file: no space left on the device', withCode('ENOSPC'), 'full'],
    ['a file: over the disk quota', withCode('EDQUOT'), 'full'],
    ['a file: a read-only file system', withCode('EROFS'), 'read-only'],
    ['a file: permission denied', withCode('EACCES'), 'down'],
    ['a socket: connection refused', withCode('ECONNREFUSED'), 'down'],
  ])('names %s', (_, error, fault) => {
    expect(storageFault(error)).toBe(fault);
  });

  it.each([
    ['a constraint violation', query(withCode('SQLITE_CONSTRAINT_UNIQUE'))],
    ['a PostgreSQL unique violation', query(withCode('23505'))],
    ['a PostgreSQL exclusion violation', query(withCode('23P01'))],
    ['a syntax error', query(withCode('42601'))],
    ['a missing file', withCode('ENOENT')],
    ['a plain error', new Error('power cut')],
    ['something that is not an error', 'full'],
    ['nothing', undefined],
  ])('leaves %s alone', (_, error) => {
    expect(storageFault(error)).toBeNull();
  });
});

describe(storageException.name, () => {
  it('answers a full store with 503 STORAGE_FULL in plain words', () => {
    const exception = storageException('full');
    expect(exception.getStatus()).toBe(503);
    expect(exception.getResponse()).toMatchObject({
      code: 'STORAGE_FULL',
      message: expect.stringMatching(/full.*not saved/) as unknown,
    });
  });

  it.each(['read-only', 'down'] as const)(
    'answers a %s store with 503 STORAGE_UNAVAILABLE',
    (fault) => {
      expect(storageException(fault).getResponse()).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    },
  );
});

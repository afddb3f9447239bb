import { ConfigError, loadAppConfig } from './app-config';

describe(loadAppConfig.name, () => {
  it('uses the documented defaults when nothing is set', () => {
    const config = loadAppConfig({});
    expect(config).toMatchObject({
      port: 3000,
      databaseKind: 'sqlite',
      sqlitePath: 'data/dml.sqlite',
      timezone: 'America/New_York',
      locale: 'en-US',
      publicUrl: 'http://localhost:3000',
      smtpUrl: undefined,
      demoUsers: true,
      redisUrl: undefined,
      redisKeyPrefix: 'dml:',
    });
  });

  it('reads a Redis URL for the shared rate limits', () => {
    expect(loadAppConfig({ REDIS_URL: 'redis://cache:6379/2' }).redisUrl).toBe(
      'redis://cache:6379/2',
    );
    expect(loadAppConfig({ REDIS_URL: 'rediss://u:p@cache:6380' }).redisUrl).toBe(
      'rediss://u:p@cache:6380',
    );
  });

  it('turns demo users off in production unless asked for', () => {
    expect(loadAppConfig({ NODE_ENV: 'production' }).demoUsers).toBe(false);
    expect(loadAppConfig({ NODE_ENV: 'production', DEMO_USERS: 'true' }).demoUsers).toBe(true);
  });

  it('writes the locale the way Intl spells it', () => {
    expect(loadAppConfig({ LIBRARY_LOCALE: 'en-gb' }).locale).toBe('en-GB');
  });

  it('checks patrons locally unless told to ask the ILS over SIP2', () => {
    expect(loadAppConfig({})).toMatchObject({ patronAuth: 'local', sip2: undefined });
    const sip2 = loadAppConfig({
      PATRON_AUTH: 'sip2',
      SIP2_URL: 'sip2://dml:pw@ils.example.org:6001?location=LAB&institution=PL',
    });
    expect(sip2.patronAuth).toBe('sip2');
    expect(sip2.sip2).toMatchObject({
      host: 'ils.example.org',
      location: 'LAB',
      institution: 'PL',
    });
  });

  it('reads a Postgres URL', () => {
    expect(loadAppConfig({ DATABASE_URL: 'postgres://u@db:5432/dml' }).databaseKind).toBe(
      'postgres',
    );
  });

  it.each([
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'sqlite:' }, 'DATABASE_URL'],
    [{ LIBRARY_TIMEZONE: 'Eastern' }, 'LIBRARY_TIMEZONE'],
    [{ LIBRARY_LOCALE: 'American' }, 'LIBRARY_LOCALE'],
    [{ LIBRARY_LOCALE: 'xx-YY' }, 'LIBRARY_LOCALE'],
    [{ PUBLIC_URL: 'ftp://lab' }, 'PUBLIC_URL'],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL'],
    [{ DEMO_USERS: 'sometimes' }, 'DEMO_USERS'],
    [{ SESSION_HOURS: '0' }, 'SESSION_HOURS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ API_RATE_PER_MINUTE: '10' }, 'API_RATE_PER_MINUTE'],
    [{ TRUST_PROXY: 'sometimes' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.0/33' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: 'loopback, proxy.example' }, 'TRUST_PROXY'],
    [{ DATABASE_URL: 'postgres://us%zzer:pw@db/dml' }, 'DATABASE_URL'],
    [{ SMTP_URL: 'smtp://user:p%w@mail.example' }, 'SMTP_URL'],
    [{ PUBLIC_URL: 'http://lab:99999' }, 'PUBLIC_URL'],
    [{ PATRON_AUTH: 'ldap' }, 'PATRON_AUTH'],
    [{ PATRON_AUTH: 'sip2' }, 'SIP2_URL'],
    [{ PATRON_AUTH: 'sip2', SIP2_URL: 'http://ils:6001' }, 'SIP2_URL'],
    [{ SIP2_URL: 'sip2://ils?timeout=never' }, 'SIP2_URL'],
    [{ REDIS_URL: 'http://cache:6379' }, 'REDIS_URL'],
    [{ REDIS_URL: '127.0.0.1:6379' }, 'REDIS_URL'],
    [{ REDIS_KEY_PREFIX: 'has space' }, 'REDIS_KEY_PREFIX'],
  ])('refuses %p and names %s', (env, name) => {
    expect(() => loadAppConfig(env)).toThrow(ConfigError);
    expect(() => loadAppConfig(env)).toThrow(new RegExp(`^${name} `));
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['false', false],
    ['1', 1],
    ['2', 2],
    ['loopback', ['loopback']],
    [
      'loopback, 10.0.0.0/8, 192.168.1.5, fd00::/8',
      ['loopback', '10.0.0.0/8', '192.168.1.5', 'fd00::/8'],
    ],
    ['10.0.0.0/255.0.0.0', ['10.0.0.0/255.0.0.0']],
  ])('reads TRUST_PROXY=%s as Express takes it', (raw, value) => {
    expect(loadAppConfig({ TRUST_PROXY: raw }).trustProxy).toEqual(value);
  });
});

import { parseSip2Url, Sip2SettingsError } from './sip2-settings';

describe(parseSip2Url.name, () => {
  it('reads the login, host, port, location and institution', () => {
    expect(
      parseSip2Url('sip2://dml:p%40ss@ils.example.org:6002?location=LAB&institution=PL'),
    ).toEqual({
      host: 'ils.example.org',
      port: 6002,
      tls: false,
      user: 'dml',
      password: 'p@ss',
      location: 'LAB',
      institution: 'PL',
      terminalPassword: '',
      timeoutMs: 5000,
      poolSize: 2,
      encoding: 'utf8',
      ca: undefined,
    });
  });

  it.each([
    ['sip2s://u:p@ils:6001', true],
    ['sip2://u:p@ils:6001?tls=true', true],
    ['sip2://u:p@ils:6001?tls=false', false],
  ])('turns TLS on for %s: %s', (url, tls) => {
    expect(parseSip2Url(url).tls).toBe(tls);
  });

  it('defaults the port to 6001 and takes timeout, pool and encoding', () => {
    expect(parseSip2Url('sip2://ils?timeout=0.5&pool=4&encoding=latin1')).toMatchObject({
      port: 6001,
      timeoutMs: 500,
      poolSize: 4,
      encoding: 'latin1',
      user: '',
    });
  });

  it.each([
    ['http://ils:6001', /start with sip2:\/\/ or sip2s:\/\//],
    ['not a url', /must be a URL/],
    ['sip2://ils?timeout=abc', /timeout must be a number/],
    ['sip2://ils?pool=0', /pool must be a whole number/],
    ['sip2://ils?tls=maybe', /tls must be true or false/],
    ['sip2://ils?locaton=LAB', /unknown setting locaton/],
    ['sip2://ils?location=A%7CB', /cannot hold/],
    ['sip2://ils?encoding=ebcdic', /encoding must be utf8 or latin1/],
    ['sip2s://ils?ca=/nonexistent/ca.pem', /ca must name a readable PEM file/],
  ])('refuses %s with a message saying what is wrong', (url, message) => {
    expect(() => parseSip2Url(url)).toThrow(Sip2SettingsError);
    expect(() => parseSip2Url(url)).toThrow(message);
  });
});

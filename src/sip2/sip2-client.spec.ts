import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestIls } from '../../test/sip2-server';
import { Sip2Client } from './sip2-client';
import { Sip2UnavailableError } from './sip2-connection';
import { parseSip2Url } from './sip2-settings';

describe(Sip2Client.name, () => {
  let ils: TestIls;
  let client: Sip2Client;
  const at = new Date('2026-12-01T15:00:00Z');

  beforeEach(async () => {
    ils = await TestIls.start();
    ils.add({ card: '21000000000001', pin: '1111', name: 'Ada Reader', type: 'ADULT' });
    // A generous timeout: a busy machine must not turn a slow answer into a failed test. The test
    // of the timeout itself uses its own short one.
    client = new Sip2Client(parseSip2Url(ils.url('location=LAB&institution=PL&timeout=5')));
  });

  afterEach(async () => {
    client.close();
    await ils.stop();
  });

  it('logs in once and reuses the connection for later questions', async () => {
    const first = await client.patronInformation('21000000000001', '1111', at);
    const second = await client.patronInformation('21000000000001', '9999', at);
    expect(first).toMatchObject({ validPatron: true, validPassword: true, name: 'Ada Reader' });
    expect(second).toMatchObject({ validPatron: true, validPassword: false });
    expect(ils.connections).toBe(1);
    expect(ils.received).toEqual(['93', '63', '63']);
  });

  it('keeps at most the pool size of connections open', async () => {
    await Promise.all(
      Array.from({ length: 6 }, () => client.patronInformation('21000000000001', '1111', at)),
    );
    expect(ils.connections).toBeLessThanOrEqual(2);
  });

  it('asks again with 97 when an answer is garbled, and reads the resent one', async () => {
    ils.behaviour.garbleAnswers = 1;
    const record = await client.patronInformation('21000000000001', '1111', at);
    expect(record.validPassword).toBe(true);
    expect(ils.received).toEqual(['93', '63', '97']);
  });

  it('gives up when the resent answer is garbled too', async () => {
    ils.behaviour.garbleAnswers = 2;
    await expect(client.patronInformation('21000000000001', '1111', at)).rejects.toMatchObject({
      reason: 'protocol',
    });
  });

  it('gives up on an ILS slower than the timeout', async () => {
    const impatient = new Sip2Client(
      parseSip2Url(ils.url('location=LAB&institution=PL&timeout=0.3')),
    );
    ils.behaviour.delayMs = 3000;
    await expect(impatient.patronInformation('21000000000001', '1111', at)).rejects.toMatchObject({
      reason: 'timeout',
    });
    impatient.close();
  });

  it('asks once more on a new connection when the ILS dropped a pooled one', async () => {
    await client.patronInformation('21000000000001', '1111', at);
    ils.behaviour.dropRequests = 1;
    const record = await client.patronInformation('21000000000001', '1111', at);
    expect(record.validPassword).toBe(true);
    expect(ils.connections).toBe(2);
  });

  it('fails when a new connection is dropped', async () => {
    ils.behaviour.dropRequests = 5;
    await expect(client.patronInformation('21000000000001', '1111', at)).rejects.toMatchObject({
      reason: 'closed',
    });
  });

  it('fails when the ILS refuses the login', async () => {
    ils.behaviour.refuseLogin = true;
    await expect(client.patronInformation('21000000000001', '1111', at)).rejects.toMatchObject({
      reason: 'login-refused',
    });
  });

  it('fails when nothing listens at the address', async () => {
    const port = ils.port;
    await ils.stop();
    ils = await TestIls.start();
    const nowhere = new Sip2Client(parseSip2Url(`sip2://u:p@127.0.0.1:${port}?timeout=0.3`));
    await expect(nowhere.patronInformation('1', '1', at)).rejects.toBeInstanceOf(
      Sip2UnavailableError,
    );
    nowhere.close();
  });
});

describe('Sip2Client over TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dml-sip2-tls-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  let ils: TestIls;
  const at = new Date('2026-12-01T15:00:00Z');

  beforeAll(async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        keyPath,
        '-out',
        certPath,
      ],
      { stdio: 'ignore' },
    );
    ils = await TestIls.start(undefined, {
      key: readFileSync(keyPath, 'utf8'),
      cert: readFileSync(certPath, 'utf8'),
    });
    ils.add({ card: '21000000000001', pin: '1111', name: 'Ada Reader' });
  });
  afterAll(async () => {
    await ils.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('talks to an ILS whose certificate the ca setting trusts', async () => {
    const url = `sip2s://dml:secret@127.0.0.1:${ils.port}?timeout=2&ca=${certPath}`;
    const client = new Sip2Client(parseSip2Url(url));
    await expect(client.patronInformation('21000000000001', '1111', at)).resolves.toMatchObject({
      validPassword: true,
    });
    client.close();
  });

  it('refuses an ILS whose certificate nobody vouches for', async () => {
    const client = new Sip2Client(
      parseSip2Url(`sip2s://dml:secret@127.0.0.1:${ils.port}?timeout=2`),
    );
    await expect(client.patronInformation('21000000000001', '1111', at)).rejects.toMatchObject({
      reason: 'unreachable',
    });
    client.close();
  });
});

import { isIP, connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import {
  commandOf,
  frame,
  loginAccepted,
  loginMessage,
  LOGIN_RESPONSE_FIXED,
  parse,
  type ParsedMessage,
  resendRequest,
  Sip2ProtocolError,
} from './sip2-message';
import type { Sip2Settings } from './sip2-settings';

export type Sip2FailureReason = 'unreachable' | 'timeout' | 'closed' | 'protocol' | 'login-refused';

/** The ILS could not be asked, or did not answer sensibly; nothing is known about the patron. */
export class Sip2UnavailableError extends Error {
  constructor(
    readonly reason: Sip2FailureReason,
    message: string,
  ) {
    super(message);
  }
}

const CR = 0x0d;

/**
 * One connection to the ILS, one request at a time. Each request gets the next sequence digit;
 * an answer must carry the same one and a right checksum. A garbled answer is asked for again
 * once (97); an ACS that asks for our message again (96) gets it once more. Anything else, a
 * timeout included, ends the connection: a late answer would otherwise be read as the next one's.
 */
export class Sip2Connection {
  private buffered = Buffer.alloc(0);
  private lines: string[] = [];
  private waiter: ((line: string | Error) => void) | null = null;
  private sequence = 0;
  private failure: Sip2UnavailableError | null = null;

  private constructor(
    private readonly socket: Socket,
    private readonly settings: Sip2Settings,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) =>
      this.fail('closed', `The ILS connection failed: ${error.message}`),
    );
    socket.on('close', () => this.fail('closed', 'The ILS closed the connection.'));
  }

  /** Connects (and logs in when the settings name a user) within the timeout. */
  static async open(settings: Sip2Settings): Promise<Sip2Connection> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const options = { host: settings.host, port: settings.port };
      const ready = settings.tls ? 'secureConnect' : 'connect';
      const socket = settings.tls
        ? // SNI takes a host name only, never an address.
          tlsConnect({
            ...options,
            servername: isIP(settings.host) ? undefined : settings.host,
            ca: settings.ca,
          })
        : tcpConnect(options);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Sip2UnavailableError('timeout', 'The ILS did not accept a connection in time.'));
      }, settings.timeoutMs);
      socket.once(ready, () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(socket);
      });
      socket.once('error', (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new Sip2UnavailableError('unreachable', `Cannot reach the ILS: ${error.message}`));
      });
    });
    socket.setNoDelay(true);
    const connection = new Sip2Connection(socket, settings);
    if (settings.user) {
      try {
        const answer = await connection.exchange(
          loginMessage({
            user: settings.user,
            password: settings.password,
            location: settings.location,
          }),
          LOGIN_RESPONSE_FIXED,
          '94',
        );
        if (!loginAccepted(answer))
          throw new Sip2UnavailableError('login-refused', 'The ILS refused the SIP2 login.');
      } catch (error) {
        connection.close();
        throw error;
      }
    }
    return connection;
  }

  get usable(): boolean {
    return this.failure === null;
  }

  close(): void {
    this.fail('closed', 'The connection was closed.');
    this.socket.destroy();
  }

  /** Lets the process exit while this connection waits in the pool. */
  idle(isIdle: boolean): void {
    if (isIdle) this.socket.unref();
    else this.socket.ref();
  }

  /** Sends a message body and returns the answer, which must be `expected`. */
  async exchange(body: string, fixedLength: number, expected: string): Promise<ParsedMessage> {
    if (this.failure) throw this.failure;
    const sequence = this.sequence;
    this.sequence = (this.sequence + 1) % 10;
    const message = frame(body, sequence, this.settings.encoding);
    this.write(message);
    let resent = false;
    for (;;) {
      const line = await this.next();
      try {
        if (commandOf(line) === '96') {
          if (resent) throw new Sip2ProtocolError('The ILS could not read the message twice.');
          resent = true;
          this.write(message);
          continue;
        }
        const answer = parse(line, fixedLength, this.settings.encoding);
        if (answer.command !== expected)
          throw new Sip2ProtocolError(`Expected ${expected}, got ${answer.command}.`);
        if (answer.sequence !== null && answer.sequence !== sequence)
          throw new Sip2ProtocolError('The answer carries another sequence number.');
        return answer;
      } catch (error) {
        if (!(error instanceof Sip2ProtocolError)) throw error;
        if (resent) {
          this.close();
          throw new Sip2UnavailableError('protocol', `The ILS answered badly: ${error.message}`);
        }
        resent = true;
        this.write(resendRequest(this.settings.encoding));
      }
    }
  }

  private write(message: string): void {
    this.socket.write(Buffer.from(message, this.settings.encoding));
  }

  private next(): Promise<string> {
    const ready = this.lines.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        const timeout = new Sip2UnavailableError('timeout', 'The ILS did not answer in time.');
        this.fail(timeout.reason, timeout.message);
        this.socket.destroy();
        reject(timeout);
      }, this.settings.timeoutMs);
      this.waiter = (line) => {
        clearTimeout(timer);
        this.waiter = null;
        if (line instanceof Error) reject(line);
        else resolve(line);
      };
    });
  }

  private receive(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    let end = this.buffered.indexOf(CR);
    while (end >= 0) {
      const line = this.buffered.subarray(0, end).toString(this.settings.encoding);
      this.buffered = this.buffered.subarray(end + 1);
      if (line.replace(/\n/g, '') !== '') {
        if (this.waiter) this.waiter(line);
        else this.lines.push(line);
      }
      end = this.buffered.indexOf(CR);
    }
    if (this.buffered.length > 1_000_000) {
      this.fail('protocol', 'The ILS sent more than a message can hold.');
      this.socket.destroy();
    }
  }

  private fail(reason: Sip2FailureReason, message: string): void {
    if (this.failure) return;
    this.failure = new Sip2UnavailableError(reason, message);
    this.waiter?.(this.failure);
  }
}

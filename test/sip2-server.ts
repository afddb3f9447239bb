import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import {
  checksum,
  field,
  parse,
  PATRON_STATUS_FLAGS,
  type ParsedMessage,
  sip2Date,
  type PatronStatusFlag,
} from '../src/sip2/sip2-message';

/** Lengths of the fixed fields of the requests the test ILS reads. */
const REQUEST_FIXED: Record<string, number> = { '93': 2, '63': 3 + 18 + 10, '23': 3 + 18, '99': 8 };

/** A patron as the test ILS holds them. */
export interface IlsPatron {
  card: string;
  pin: string;
  name: string;
  email?: string;
  /** `YYYYMMDD`, sent as PB. */
  birthDate?: string;
  /** Sent as PC. */
  type?: string;
  flags?: PatronStatusFlag[];
  screenMessage?: string;
}

/** How the test ILS misbehaves; tests change these between requests. */
export interface IlsBehaviour {
  /** Milliseconds to wait before each answer. */
  delayMs: number;
  /** This many patron answers go out with a wrong checksum (a 97 gets the right one). */
  garbleAnswers: number;
  /** This many patron requests are met by closing the connection. */
  dropRequests: number;
  /** Answer 94 with "not ok". */
  refuseLogin: boolean;
}

/**
 * A SIP2 ACS (the ILS's side) on loopback, written from the 3M SIP2 specification for the tests:
 * it checks the checksum of what it receives (asking for a resend with 96 when it is wrong),
 * answers 93 Login, 63 Patron Information, 23 Patron Status, 99 SC Status and 97 (sends its last
 * answer again), and echoes each request's sequence number.
 */
export class TestIls {
  readonly patrons = new Map<string, IlsPatron>();
  readonly behaviour: IlsBehaviour = {
    delayMs: 0,
    garbleAnswers: 0,
    dropRequests: 0,
    refuseLogin: false,
  };
  /** What arrived, as command codes, in order. */
  readonly received: string[] = [];
  connections = 0;
  private readonly sockets = new Set<Socket>();
  private readonly pauses = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    readonly login: { user: string; password: string },
  ) {}

  /** With `tls`, a TLS server with that key and certificate (PEM). */
  static async start(
    login = { user: 'dml', password: 'secret' },
    tls?: { key: string; cert: string },
  ): Promise<TestIls> {
    const server = tls ? createTlsServer(tls) : createServer();
    const ils = new TestIls(server, login);
    server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => ils.serve(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return ils;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(query = 'location=DML&institution=PL&timeout=1'): string {
    return `sip2://${this.login.user}:${this.login.password}@127.0.0.1:${this.port}?${query}`;
  }

  add(patron: IlsPatron): IlsPatron {
    this.patrons.set(patron.card, patron);
    return patron;
  }

  async stop(): Promise<void> {
    for (const timer of this.pauses) clearTimeout(timer);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A slow ILS's pause before it answers; a stopped server keeps no timer waiting. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pauses.delete(timer);
        resolve();
      }, ms);
      this.pauses.add(timer);
    });
  }

  private serve(socket: Socket): void {
    this.connections += 1;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = '';
    let last = '';
    let loggedIn = false;
    let queue = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let end = buffered.indexOf('\r');
      while (end >= 0) {
        const line = buffered.slice(0, end).replace(/^\n+/, '');
        buffered = buffered.slice(end + 1);
        queue = queue.then(async () => {
          const answer = this.answer(line, loggedIn, last, socket);
          if (answer === null) return;
          if (answer.startsWith('94') && answer[2] === '1') loggedIn = true;
          if (this.behaviour.delayMs) await this.pause(this.behaviour.delayMs);
          if (!socket.destroyed) socket.write(`${this.maybeGarbled(answer)}\r`);
          if (!answer.startsWith('96')) last = answer;
        });
        end = buffered.indexOf('\r');
      }
    });
  }

  /** The framed answer to one request, or null when the connection is dropped instead. */
  private answer(line: string, loggedIn: boolean, last: string, socket: Socket): string | null {
    const command = line.slice(0, 2);
    this.received.push(command);
    if (command === '97') return last;
    let message: ParsedMessage;
    try {
      message = parse(line, REQUEST_FIXED[command] ?? 0);
    } catch {
      return '96';
    }
    const sequence = message.sequence ?? 0;
    const get = (id: string) => message.fields.get(id)?.[0] ?? '';
    if (command === '93') {
      const ok =
        !this.behaviour.refuseLogin &&
        get('CN') === this.login.user &&
        get('CO') === this.login.password;
      return this.frame(`94${ok ? '1' : '0'}`, sequence);
    }
    if (command === '99') return this.frame(`98YYYYNN100005${sip2Date(new Date())}2.00`, sequence);
    if (command !== '63' && command !== '23') return '96';
    if (this.login.user && !loggedIn) {
      socket.destroy();
      return null;
    }
    if (this.behaviour.dropRequests > 0) {
      this.behaviour.dropRequests -= 1;
      socket.destroy();
      return null;
    }
    return this.frame(this.patronAnswer(command, get('AA'), get('AD'), get('AO')), sequence);
  }

  private patronAnswer(command: string, card: string, pin: string, institution: string): string {
    const patron = this.patrons.get(card);
    const status = PATRON_STATUS_FLAGS.map((flag) => (patron?.flags?.includes(flag) ? 'Y' : ' '));
    const head = `${command === '63' ? '64' : '24'}${status.join('')}001${sip2Date(new Date())}`;
    const counts = command === '63' ? '0000'.repeat(6) : '';
    let fields = `${field('AO', institution)}${field('AA', card)}`;
    fields += field('AE', patron?.name ?? '');
    fields += field('BL', patron ? 'Y' : 'N');
    if (pin !== '' || command === '63')
      fields += field('CQ', patron && patron.pin === pin ? 'Y' : 'N');
    if (patron?.email) fields += field('BE', patron.email);
    if (patron?.birthDate) fields += field('PB', patron.birthDate);
    if (patron?.type) fields += field('PC', patron.type);
    if (patron?.screenMessage) fields += field('AF', patron.screenMessage);
    return `${head}${counts}${fields}`;
  }

  private frame(body: string, sequence: number): string {
    const head = `${body}AY${sequence}AZ`;
    return `${head}${checksum(head)}`;
  }

  /** Patron answers spoiled on the way, as line noise would: the checksum no longer adds up. */
  private maybeGarbled(answer: string): string {
    if (!/^(64|24)/.test(answer) || this.behaviour.garbleAnswers <= 0) return answer;
    this.behaviour.garbleAnswers -= 1;
    const sum = answer.slice(-4);
    return `${answer.slice(0, -4)}${sum === '0000' ? '0001' : '0000'}`;
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isNativeError } from 'node:util/types';
import type { SendMailOptions, Transporter } from 'nodemailer';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';

export interface MailAttachment {
  filename: string;
  content: string | Buffer;
  contentType: string;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
}

type Deliver = (mail: SendMailOptions) => Promise<void>;

/** Where messages go when no SMTP server is configured. */
export function outboxDir(config: AppConfig): string {
  return join(config.dataDir, 'outbox');
}

/**
 * Sends mail through `SMTP_URL`, or without one writes each message as an `.eml` file to the
 * outbox so a small lab can run, and be tested, with no mail server at all.
 */
@Injectable()
export class MailService {
  private readonly logger = new Logger(MailService.name);
  private readonly deliver: Deliver;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.deliver = config.smtpUrl
      ? smtpDelivery(config.smtpUrl, config.smtpTimeoutSeconds * 1000)
      : outboxDelivery(outboxDir(config), clock);
  }

  /** Where the `.eml` files go when no SMTP server is set; null when one is. */
  get outboxFolder(): string | null {
    return this.config.smtpUrl ? null : outboxDir(this.config);
  }

  /** Sends one message; a failure is logged and rethrown for the caller to weigh. */
  async send(mail: OutgoingMail): Promise<void> {
    try {
      await this.deliver({
        from: { name: this.config.mailFrom.name, address: this.config.mailFrom.address },
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        attachments: mail.attachments,
      });
    } catch (error) {
      // The recipient stays out of the log: patrons' addresses are theirs.
      this.logger.error(
        `Could not send "${mail.subject}": ${errorMessage(error)}`,
        isNativeError(error) ? error.stack : undefined,
      );
      throw error;
    }
  }
}

/**
 * A nodemailer transport made on the first message: nodemailer is loaded then, not at start
 * (most starts send nothing for a while, and every module loaded at start delays the first answer).
 */
function transportOnFirstUse(
  options: Parameters<typeof import('nodemailer').createTransport>[0],
): () => Promise<Transporter> {
  let transport: Promise<Transporter> | undefined;
  return () => (transport ??= import('nodemailer').then((m) => m.createTransport(options)));
}

function smtpDelivery(url: string, timeoutMs: number): Deliver {
  const transport = transportOnFirstUse({
    url,
    // Nothing on loopback needs encrypting, and local relays often offer STARTTLS with a
    // certificate nobody signed; elsewhere nodemailer upgrades whenever the server offers it.
    ignoreTLS: isLoopback(new URL(url).hostname),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return async (mail) => {
    await (await transport()).sendMail(mail);
  };
}

function outboxDelivery(dir: string, clock: Clock): Deliver {
  const transport = transportOnFirstUse({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
  });
  return async (mail) => {
    // A stream transport's answer holds the whole message.
    const { message } = (await (await transport()).sendMail(mail)) as { message: Buffer };
    // Colons are left out of the time so the names are valid on every file system; the names
    // still sort by the time the message was written.
    const stamp = clock.now().toISOString().replace(/:/g, '-');
    const path = join(dir, `${stamp}-${randomBytes(4).toString('hex')}.eml`);
    // The folder is made when it is missing, not asked after for every message.
    await writeFile(path, message, { flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      await mkdir(dir, { recursive: true });
      await writeFile(path, message, { flag: 'wx' });
    });
  };
}

/** `isNativeError` rather than `instanceof`, which misses errors made in another realm. */
export function errorMessage(error: unknown): string {
  return isNativeError(error) ? error.message : String(error);
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.startsWith('127.') || hostname === '[::1]';
}

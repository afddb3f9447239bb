import { Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { AccountsService } from '../accounts/accounts.service';
import { AppConfig } from '../config/app-config';
import { WriteTransactionService } from '../database/write-transaction.service';
import { OutboxService } from '../notifications/outbox.service';
import { ManualsService } from './manuals.service';

export interface SentManual {
  sentTo: string;
  url: string;
  patronName: string;
  title: string;
}

/** The desk hands a walkthrough to a patron by e-mail: its link, summary and what to bring. */
@Injectable()
export class ManualSender {
  constructor(
    private readonly manuals: ManualsService,
    private readonly accounts: AccountsService,
    private readonly outbox: OutboxService,
    private readonly writes: WriteTransactionService,
    private readonly config: AppConfig,
  ) {}

  async sendToPatron(slug: string, cardNumber: string): Promise<SentManual> {
    const { manual, revision } = await this.manuals.getPublished(slug);
    const patron = await this.accounts.findPatronByCard(cardNumber);
    if (!patron) throw new NotFoundException(`No patron has card number ${cardNumber}.`);
    if (!patron.email)
      throw new UnprocessableEntityException({
        code: 'NO_EMAIL',
        message: `${patron.name} has no e-mail address on file: print the walkthrough instead.`,
      });
    const url = `${this.config.publicUrl}/manuals/${manual.slug}`;
    const c = revision.content;
    const to = patron.email;
    await this.writes.run((manager) =>
      this.outbox.queueMail(manager, {
        to,
        subject: `Your walkthrough: ${c.title}`,
        text: [
          `Hello ${patron.name},`,
          '',
          `Here is the step-by-step walkthrough the Digital Media Lab desk picked out for you: ${c.title}.`,
          c.summary,
          '',
          `Open it on your phone or computer: ${url}`,
          c.bring.length ? `\nWhat to bring: ${c.bring.join('; ')}.` : '',
          '',
          'See you in the lab.',
        ].join('\n'),
      }),
    );
    return { sentTo: patron.email, url, patronName: patron.name, title: c.title };
  }
}

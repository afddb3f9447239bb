import { Controller, Get, Logger, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';
import { csvRows } from '../common/csv';
import { Roles } from '../common/decorators/auth.decorators';
import { UsageQueryDto } from './dto/usage-query.dto';
import { BookingResponse, toBookingResponse } from '../bookings/booking.response';
import { AppConfig } from '../config/app-config';
import { ReportsService } from './reports.service';
import { UsageReportResponse } from './usage.response';

const FIGURES = [
  'bookings',
  'hoursBooked',
  'hoursOpen',
  'utilisation',
  'noShows',
  'cancellations',
  'uniquePatrons',
  'loans',
  'overdueDays',
] as const;

const CSV_COLUMNS = [
  'code',
  'equipment',
  'equipmentName',
  'start',
  'end',
  'status',
  'cardNumber',
  'patron',
  'termsAcceptedAt',
];

/** One booking as a row of the CSV export, its answers in the order of `questions`. */
function csvRow(b: BookingResponse, questions: string[]): unknown[] {
  return [
    b.code,
    b.equipment,
    b.equipmentName,
    b.start,
    b.end,
    b.status,
    b.patron.cardNumber ?? '',
    b.patron.name,
    b.termsAcceptedAt ?? '',
    ...questions.map((id) => {
      const answer = b.answers?.[id];
      return answer === undefined
        ? ''
        : typeof answer === 'boolean'
          ? answer
            ? 'yes'
            : 'no'
          : answer;
    }),
  ];
}

/** Writes a chunk, waiting while the client is slower than the export (or until it leaves). */
async function send(response: Response, chunk: string): Promise<void> {
  if (response.write(chunk)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      response.off('drain', done).off('close', done);
      resolve();
    };
    response.once('drain', done).once('close', done);
  });
}

@ApiTags('reports')
@Controller('api/reports')
export class ReportsController {
  private readonly logger = new Logger(ReportsController.name);

  constructor(
    private readonly reports: ReportsService,
    private readonly config: AppConfig,
  ) {}

  /**
   * One row per booking starting in the period, with its patron, status and the answers to its
   * equipment's booking questions (a column per question id, `answer:<id>`).
   */
  @Roles('staff')
  @ApiExtraModels(BookingResponse)
  @ApiOkResponse({
    description: 'JSON, or with `format=csv` a CSV file, one row a booking.',
    content: {
      'application/json': {
        schema: { type: 'array', items: { $ref: getSchemaPath(BookingResponse) } },
      },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  @Get('bookings')
  async bookings(@Query() query: UsageQueryDto, @Res() response: Response): Promise<void> {
    const zone = this.config.timezone;
    const pages = () => this.reports.bookingPagesIn(query.from, query.to, query.area);
    // Refused before anything is sent when the period or the area is wrong.
    const first = await pages();
    try {
      if (query.format !== 'csv') {
        response.status(200).type('application/json');
        let separator = '[';
        for await (const page of first) {
          if (response.destroyed) return;
          const items = page.map((b) => JSON.stringify(toBookingResponse(b, zone)));
          await send(response, `${separator}${items.join(',')}`);
          separator = ',';
        }
        response.end(separator === '[' ? '[]' : ']');
        return;
      }
      // The columns come first, so the answers' questions are gathered in a pass of their own.
      const questions = new Set<string>();
      for await (const page of first) {
        for (const b of page) for (const id of Object.keys(b.answers ?? {})) questions.add(id);
      }
      const ids = [...questions].sort();
      const columns = [...CSV_COLUMNS, ...ids.map((id) => `answer:${id}`)];
      response
        .status(200)
        .type('text/csv; charset=utf-8')
        .setHeader(
          'Content-Disposition',
          `attachment; filename="dml-bookings-${query.from}-to-${query.to}.csv"`,
        );
      await send(response, stringify([], { header: true, columns, bom: true }));
      for await (const page of await pages()) {
        if (response.destroyed) return;
        const rows = page.map((b) => csvRow(toBookingResponse(b, zone), ids));
        await send(response, stringify(csvRows(rows), { columns }));
      }
      response.end();
    } catch (error) {
      // Once the first page is out the status cannot change: the cut-short answer says it.
      if (!response.headersSent) throw error;
      this.logger.error(
        `The bookings export stopped: ${(error as Error).message}`,
        (error as Error).stack,
      );
      response.destroy();
    }
  }

  /** Per device, per category and per patron group: bookings, hours booked and open, utilisation %, no-shows, cancellations, unique patrons, loans handed over and days kits were late. */
  @Roles('staff')
  @ApiExtraModels(UsageReportResponse)
  @ApiOkResponse({
    description:
      'JSON, or with `format=csv` a CSV file of the same figures, one row a device or category.',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(UsageReportResponse) } },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  @Get('usage')
  async usage(@Query() query: UsageQueryDto, @Res() response: Response): Promise<void> {
    const report = await this.reports.usage(query.from, query.to, query.area);
    if (query.format !== 'csv') {
      response.json(report);
      return;
    }
    const rows = [
      ...report.devices.map((d) => [
        'device',
        d.equipment,
        d.name,
        d.category,
        ...FIGURES.map((f) => d[f]),
      ]),
      ...report.categories.map((c) => [
        'category',
        c.category,
        `${c.devices} devices`,
        c.category,
        ...FIGURES.map((f) => c[f]),
      ]),
      // Patron groups: the same columns, blank where a figure belongs to devices (hours open, loans).
      ...report.groups.map((g) => [
        'group',
        g.group,
        g.group,
        '',
        ...FIGURES.map((f) => (f in g ? g[f as keyof typeof g] : '')),
      ]),
    ];
    const csv = stringify(csvRows(rows), {
      header: true,
      columns: ['level', 'slug', 'name', 'category', ...FIGURES],
      bom: true,
    });
    response
      .status(200)
      .type('text/csv; charset=utf-8')
      .setHeader(
        'Content-Disposition',
        `attachment; filename="dml-usage-${report.from}-to-${report.to}.csv"`,
      )
      .send(csv);
  }
}

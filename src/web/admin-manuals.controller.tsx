import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Param,
  ParseIntPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { User } from '../accounts/user.entity';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators';
import { CreateManualDto } from '../manuals/dto/manual-content.dto';
import { type ManualContent } from '../manuals/manual-content';
import { ManualsService } from '../manuals/manuals.service';
import { renderMarkdown } from '../manuals/render';
import { field, Pages, readForm } from './pages.service';
import { RevisionChangesPage } from './views/admin-manual-changes';
import { ManualAdminListPage } from './views/admin-manuals';

const STARTER: Omit<ManualContent, 'title'> = {
  summary: 'What this walkthrough helps a patron do.',
  difficulty: 'easy',
  estimatedMinutes: [10, 20],
  equipment: [],
  bring: [],
  prerequisites: [],
  grantsCertification: false,
  introduction: '',
  steps: [{ title: 'First step', body: 'Say what to do, one action at a time.', images: [] }],
  conclusion: '',
};

@ApiExcludeController()
@Roles('librarian')
@Controller('admin/manuals')
export class AdminManualsController {
  constructor(
    private readonly pages: Pages,
    private readonly manuals: ManualsService,
  ) {}

  @Get()
  async list(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.pages.send(
      res,
      <ManualAdminListPage
        ctx={this.pages.context(req, res)}
        manuals={await this.manuals.listForEditors()}
      />,
    );
  }

  @Post()
  async create(
    @Res() res: Response,
    @Body() body: unknown,
    @CurrentUser() librarian: User,
  ): Promise<void> {
    await this.pages.act(
      res,
      { success: '/admin/manuals', failure: '/admin/manuals' },
      async () => {
        const dto = await readForm(CreateManualDto, {
          ...STARTER,
          slug: field(body, 'slug') ?? '',
          title: field(body, 'title') ?? '',
        });
        const { slug, ...content } = dto;
        await this.manuals.create(slug, content, librarian);
        return { message: 'Draft started.', to: `/admin/manuals/${slug}/edit` };
      },
    );
  }

  @Post(':slug/publish')
  async publish(
    @Res() res: Response,
    @Param('slug') slug: string,
    @Body() body: unknown,
    @CurrentUser() librarian: User,
  ): Promise<void> {
    const here = `/admin/manuals/${encodeURIComponent(slug)}/edit`;
    await this.pages.act(res, { success: here, failure: here }, async () => {
      const note = field(body, 'note') ?? null;
      if (note && note.length > 500)
        throw new BadRequestException('The note is longer than 500 characters.');
      const { revision } = await this.manuals.publish(
        slug,
        librarian,
        field(body, 'changesUsage') === 'true',
        note,
      );
      return `Published as revision ${revision.number}. Patrons see it now.`;
    });
  }

  @Post(':slug/revisions/:n/restore')
  async restore(
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('n', ParseIntPipe) n: number,
    @CurrentUser() librarian: User,
  ): Promise<void> {
    const here = `/admin/manuals/${encodeURIComponent(slug)}/edit`;
    await this.pages.act(res, { success: here, failure: here }, async () => {
      await this.manuals.restore(slug, n, librarian);
      return `Revision ${n} is the draft now. Publish it to make it current.`;
    });
  }

  @Get(':slug/diff')
  async diff(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Query('from', ParseIntPipe) from: number,
    @Query('to', ParseIntPipe) to: number,
  ): Promise<void> {
    const compared = await this.manuals.compareRevisions(slug, from, to);
    this.pages.send(
      res,
      <RevisionChangesPage ctx={this.pages.context(req, res)} slug={slug} {...compared} />,
    );
  }

  /** The live preview of the editor: the same sanitised HTML patrons will get. */
  @Post('preview')
  preview(@Res() res: Response, @Body() body: unknown): void {
    const markdown = field(body, 'markdown') ?? '';
    if (markdown.length > 20_000) throw new BadRequestException('The text is too long to preview.');
    res.type('html').setHeader('Cache-Control', 'no-store').send(renderMarkdown(markdown));
  }
}

import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpException,
  Param,
  ParseIntPipe,
  Post,
  Query,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { User } from '../accounts/user.entity';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators';
import { AppConfig } from '../config/app-config';
import { EquipmentService } from '../equipment/equipment.service';
import { MAX_IMAGE_BYTES } from '../images/image-format';
import { ImageTooLarge } from '../images/images.controller';
import { ImagesService } from '../images/images.service';
import { CreateManualDto, ManualContentDto } from '../manuals/dto/manual-content.dto';
import {
  MAX_STEP_IMAGES,
  type ManualContent,
  type ManualStep,
  type StepImage,
} from '../manuals/manual-content';
import { toRevisionResponse } from '../manuals/manual.response';
import { ManualsService } from '../manuals/manuals.service';
import { renderMarkdown } from '../manuals/render';
import { setFlash } from './flash';
import { field, messageOf, Pages, readForm } from './pages.service';
import { plainMessage } from './plain-words';
import { ManualAdminListPage, ManualDiffPage, ManualEditorPage } from './views/admin-manuals';

const MAX_STEPS = 30;

function lines(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** The editor form as manual content, in the shape the API's DTO checks. */
export function contentFromForm(body: unknown): Record<string, unknown> {
  const count = Math.min(Number(field(body, 'stepCount') ?? 0) || 0, MAX_STEPS);
  const steps: ManualStep[] = [];
  for (let i = 0; i < count; i++) {
    const images: StepImage[] = [];
    for (let j = 0; j < MAX_STEP_IMAGES; j++) {
      const src = field(body, `step-${i}-image-${j}-src`);
      if (src) images.push({ src, alt: field(body, `step-${i}-image-${j}-alt`) ?? '' });
    }
    steps.push({
      title: field(body, `step-${i}-title`) ?? '',
      body: field(body, `step-${i}-body`) ?? '',
      images,
    });
  }
  const equipment = (body as Record<string, unknown>)?.equipment;
  return {
    title: field(body, 'title') ?? '',
    summary: field(body, 'summary') ?? '',
    difficulty: field(body, 'difficulty') ?? '',
    estimatedMinutes: [Number(field(body, 'minMinutes')), Number(field(body, 'maxMinutes'))],
    equipment: Array.isArray(equipment)
      ? equipment
      : typeof equipment === 'string'
        ? [equipment]
        : [],
    bring: lines(field(body, 'bring')),
    prerequisites: (field(body, 'prerequisites') ?? '').split(/[\s,]+/).filter(Boolean),
    grantsCertification: field(body, 'grantsCertification') === 'true',
    introduction: field(body, 'introduction') ?? '',
    steps,
    conclusion: field(body, 'conclusion') ?? '',
  };
}

/** Moves, adds or removes a step as the button pressed asks; saving alone leaves them be. */
export function applyStepAction(steps: ManualStep[], action: string | undefined): ManualStep[] {
  const result = [...steps];
  const [verb, at] = (action ?? 'save').split(':');
  const i = Number(at);
  if (verb === 'add' && result.length < MAX_STEPS)
    result.push({ title: 'New step', body: '', images: [] });
  if (verb === 'unpic' && result[i]) {
    const picture = Number(action?.split(':')[2]);
    result[i] = { ...result[i], images: result[i].images.filter((_, j) => j !== picture) };
  }
  if (verb === 'up' && i > 0 && i < result.length)
    [result[i - 1], result[i]] = [result[i], result[i - 1]];
  if (verb === 'down' && i >= 0 && i < result.length - 1)
    [result[i], result[i + 1]] = [result[i + 1], result[i]];
  if (verb === 'remove' && result.length > 1 && i >= 0 && i < result.length) result.splice(i, 1);
  return result;
}

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
    private readonly equipment: EquipmentService,
    private readonly images: ImagesService,
    private readonly config: AppConfig,
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

  @Get(':slug/edit')
  async edit(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
  ): Promise<void> {
    const { content, isDraft, manual } = await this.manuals.working(slug);
    await this.sendEditor(req, res, slug, content, isDraft, manual.publishedRevision);
  }

  /**
   * Saves the draft, after moving, adding or removing a step if that button was pressed. A refused
   * form comes back filled in as it was sent, so no typing is lost.
   */
  @Post(':slug/edit')
  async save(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Body() body: unknown,
    @CurrentUser() librarian: User,
  ): Promise<void> {
    const posted = contentFromForm(body);
    const action = field(body, 'action');
    posted.steps = applyStepAction(posted.steps as ManualStep[], action);
    const manual = await this.manuals.find(slug);
    try {
      const dto = await readForm(ManualContentDto, posted);
      await this.manuals.saveDraft(slug, dto, librarian);
    } catch (error) {
      if (!(error instanceof HttpException) || error.getStatus() >= 500) throw error;
      const ctxFlash = { kind: 'error' as const, text: plainMessage(messageOf(error)) };
      await this.sendEditor(
        req,
        res,
        slug,
        posted as unknown as ManualContent,
        true,
        manual.publishedRevision,
        ctxFlash,
        400,
      );
      return;
    }
    const anchor = action?.includes(':')
      ? `#step-${Math.max(0, Number(action.split(':')[1]) - (action.startsWith('up') ? 1 : 0))}`
      : '';
    setFlash(res, 'success', 'Draft saved.');
    res.redirect(303, `/admin/manuals/${slug}/edit${anchor}`);
  }

  /** Uploads a picture (checked by its bytes) and adds it to the step in the draft. */
  @Post(':slug/steps/:step/images')
  @UseInterceptors(
    ImageTooLarge,
    FileInterceptor('file', {
      limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 1, parts: 2 },
    }),
  )
  async addPicture(
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('step', ParseIntPipe) step: number,
    @UploadedFile() file: { buffer: Buffer } | undefined,
    @Body() body: unknown,
    @CurrentUser() librarian: User,
  ): Promise<void> {
    const here = `/admin/manuals/${encodeURIComponent(slug)}/edit#step-${step}`;
    await this.pages.act(res, { success: here, failure: here }, async () => {
      const { content } = await this.manuals.working(slug);
      const target = content.steps[step];
      if (!target) throw new BadRequestException('There is no such step.');
      if (target.images.length >= MAX_STEP_IMAGES)
        throw new BadRequestException(`A step has at most ${MAX_STEP_IMAGES} pictures.`);
      const alt = field(body, 'alt')?.trim();
      if (!alt)
        throw new BadRequestException(
          'Say what the picture shows: it is read to people who cannot see it.',
        );
      if (!file?.buffer) throw new BadRequestException('Choose an image file to upload.');
      const image = await this.images.store(file.buffer, librarian);
      const steps = content.steps.map((s, i) =>
        i === step ? { ...s, images: [...s.images, { src: image.url, alt }] } : s,
      );
      const dto = await readForm(ManualContentDto, { ...content, steps });
      await this.manuals.saveDraft(slug, dto, librarian);
      return `Picture added to step ${step + 1}; the draft is saved.`;
    });
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
    const diff = await this.manuals.diff(slug, from, to);
    this.pages.send(
      res,
      <ManualDiffPage ctx={this.pages.context(req, res)} slug={slug} diff={diff} />,
    );
  }

  /** The live preview of the editor: the same sanitised HTML patrons will get. */
  @Post('preview')
  preview(@Res() res: Response, @Body() body: unknown): void {
    const markdown = field(body, 'markdown') ?? '';
    if (markdown.length > 20_000) throw new BadRequestException('The text is too long to preview.');
    res.type('html').setHeader('Cache-Control', 'no-store').send(renderMarkdown(markdown));
  }

  private async sendEditor(
    req: Request,
    res: Response,
    slug: string,
    content: ManualContent,
    isDraft: boolean,
    publishedRevision: number | null,
    flash?: { kind: 'error'; text: string },
    status = 200,
  ): Promise<void> {
    const manual = await this.manuals.find(slug);
    const revisions = (await this.manuals.history(slug)).map((r) =>
      toRevisionResponse(r, manual, this.config.timezone),
    );
    const devices = (await this.equipment.list({})).map((d) => ({ slug: d.slug, name: d.name }));
    const ctx = this.pages.context(req, res);
    if (flash) ctx.flash = flash;
    this.pages.send(
      res,
      <ManualEditorPage
        ctx={ctx}
        slug={slug}
        content={content}
        isDraft={isDraft}
        publishedRevision={publishedRevision}
        revisions={revisions}
        devices={devices}
      />,
      status,
    );
  }
}

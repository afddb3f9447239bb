import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpException,
  NotFoundException,
  Param,
  ParseIntPipe,
  Post,
  Req,
  Res,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { AnyFilesInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { User } from '../accounts/user.entity';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators';
import { AppConfig } from '../config/app-config';
import { EquipmentService } from '../equipment/equipment.service';
import { MAX_IMAGE_BYTES } from '../images/image-format';
import { ImageTooLarge } from '../images/images.controller';
import { ImagesService } from '../images/images.service';
import { ManualContentDto } from '../manuals/dto/manual-content.dto';
import { MAX_STEP_IMAGES, type ManualContent, type ManualStep } from '../manuals/manual-content';
import { toRevisionResponse } from '../manuals/manual.response';
import { ManualsService } from '../manuals/manuals.service';
import { compareContents } from '../manuals/word-diff';
import { boundedUploadStorage, type UploadedPart } from './bounded-upload-storage';
import { setFlash, type Flash } from './flash';
import {
  applyStepAction,
  contentFromForm,
  MAX_STEPS,
  parseStepAction,
  stepFromForm,
  stepToReturnTo,
  type StepAction,
} from './manual-editor-form';
import { field, messageOf, Pages, readForm } from './pages.service';
import { plainMessage } from './plain-words';
import { ManualEditorPage } from './views/admin-manuals';
import { ManualChangesPage } from './views/admin-manual-changes';
import { ManualStepPage } from './views/admin-manual-step';

/**
 * The editor's forms are multipart so a picture goes with the text typed around it. A picture
 * over the limit is read and dropped, so the form comes back with that text; only one too large
 * to be any picture (ten times the limit) is refused before the text is read.
 */
const UPLOADS = AnyFilesInterceptor({
  storage: boundedUploadStorage(MAX_IMAGE_BYTES),
  limits: { fileSize: 10 * MAX_IMAGE_BYTES, files: MAX_STEPS, fields: 2000 },
});
const MAX_MB = MAX_IMAGE_BYTES / (1024 * 1024);

function refusal(error: unknown): string {
  if (!(error instanceof HttpException) || error.getStatus() >= 500) throw error;
  return plainMessage(messageOf(error));
}

function wantsJson(req: Request): boolean {
  return req.get('accept')?.includes('application/json') ?? false;
}

@ApiExcludeController()
@Roles('librarian')
@Controller('admin/manuals')
export class AdminManualEditorController {
  constructor(
    private readonly pages: Pages,
    private readonly manuals: ManualsService,
    private readonly equipment: EquipmentService,
    private readonly images: ImagesService,
    private readonly config: AppConfig,
  ) {}

  @Get(':slug/edit')
  async edit(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
  ): Promise<void> {
    const { content, isDraft } = await this.manuals.working(slug);
    await this.sendEditor(req, res, slug, content, isDraft);
  }

  /**
   * Saves the whole draft, after adding a picture or moving, adding or removing a step if that
   * button was pressed, then comes back to that step. A refused form comes back filled in as it
   * was sent, so no typing is lost.
   */
  @Post(':slug/edit')
  @UseInterceptors(ImageTooLarge, UPLOADS)
  async save(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Body() body: unknown,
    @UploadedFiles() files: UploadedPart[] | undefined,
    @CurrentUser() librarian: User,
  ): Promise<void> {
    const posted = contentFromForm(body) as unknown as ManualContent;
    const action = parseStepAction(field(body, 'action'));
    posted.steps = applyStepAction(posted.steps, action);
    let message: string;
    try {
      message = await this.addUpload(posted.steps, action, body, files, librarian);
      await this.manuals.saveDraft(slug, await readForm(ManualContentDto, posted), librarian);
    } catch (error) {
      const text = refusal(error);
      const at = action.step !== null ? `step-${action.step}` : undefined;
      const flash: Flash = { kind: 'error', text, at };
      await this.sendEditor(req, res, slug, posted, true, flash, 400);
      return;
    }
    const back = stepToReturnTo(action, posted.steps.length);
    const at = back === null ? undefined : `step-${back}`;
    setFlash(res, 'success', message, undefined, at);
    res.redirect(303, `/admin/manuals/${encodeURIComponent(slug)}/edit${at ? `#${at}` : ''}`);
  }

  /** The draft beside the published text, rendered, with the changed words marked. */
  @Get(':slug/changes')
  async changes(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
  ): Promise<void> {
    const { manual, content } = await this.manuals.working(slug);
    const published =
      manual.publishedRevision === null
        ? null
        : (await this.manuals.getPublished(slug)).revision.content;
    this.pages.send(
      res,
      <ManualChangesPage
        ctx={this.pages.context(req, res)}
        slug={slug}
        title={content.title}
        publishedRevision={manual.publishedRevision}
        sections={compareContents(published, content)}
      />,
    );
  }

  /** One step on a page of its own: the editor without JavaScript, a step at a time. */
  @Get(':slug/edit/steps/:n')
  async step(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('n', ParseIntPipe) n: number,
  ): Promise<void> {
    const { content } = await this.manuals.working(slug);
    if (!content.steps[n - 1]) throw new NotFoundException(`There is no step ${n}.`);
    this.pages.send(
      res,
      <ManualStepPage ctx={this.pages.context(req, res)} slug={slug} content={content} n={n} />,
    );
  }

  /**
   * Saves just step `n` (1-based) of the draft, with a picture if one was chosen: from its own
   * page, or from the full editor's script (which asks for JSON and stays where it is).
   */
  @Post(':slug/edit/steps/:n')
  @UseInterceptors(ImageTooLarge, UPLOADS)
  async saveStep(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Param('n', ParseIntPipe) n: number,
    @Body() body: unknown,
    @UploadedFiles() files: UploadedPart[] | undefined,
    @CurrentUser() librarian: User,
  ): Promise<void> {
    const { content } = await this.manuals.working(slug);
    const i = n - 1;
    if (!content.steps[i]) throw new NotFoundException(`There is no step ${n}.`);
    const action = parseStepAction(field(body, 'action'));
    const own: StepAction = { ...action, step: i };
    const steps = [...content.steps];
    steps[i] = stepFromForm(body, i);
    const posted: ManualContent = { ...content, steps: applyStepAction(steps, own) };
    let message: string;
    try {
      if (action.verb !== 'save' && action.verb !== 'unpic' && action.verb !== 'upload')
        throw new BadRequestException('Move, add or remove steps on the full editor page.');
      message = await this.addUpload(posted.steps, own, body, files, librarian);
      await this.manuals.saveDraft(slug, await readForm(ManualContentDto, posted), librarian);
    } catch (error) {
      const text = refusal(error);
      if (wantsJson(req)) {
        res.status(400).json({ statusCode: 400, message: text });
        return;
      }
      const ctx = this.pages.context(req, res);
      ctx.flash = { kind: 'error', text };
      this.pages.send(res, <ManualStepPage ctx={ctx} slug={slug} content={posted} n={n} />, 400);
      return;
    }
    if (wantsJson(req)) {
      res.json({ message });
      return;
    }
    setFlash(res, 'success', message);
    res.redirect(303, `/admin/manuals/${encodeURIComponent(slug)}/edit/steps/${n}`);
  }

  /**
   * Adds the picture chosen for the step whose upload button was pressed (checked by its bytes);
   * says what was saved.
   */
  private async addUpload(
    steps: ManualStep[],
    action: StepAction,
    body: unknown,
    files: UploadedPart[] | undefined,
    librarian: User,
  ): Promise<string> {
    const i = action.step;
    if (action.verb === 'add') return `Draft saved. Step ${steps.length} added.`;
    if (action.verb === 'remove') return 'Draft saved. Step removed.';
    if (action.verb !== 'upload' || i === null || !steps[i])
      return i === null ? 'Draft saved.' : `Draft saved with step ${i + 1}.`;
    const n = i + 1;
    if (steps[i].images.length >= MAX_STEP_IMAGES)
      throw new BadRequestException(`A step has at most ${MAX_STEP_IMAGES} pictures.`);
    const file = files?.find((f) => f.fieldname === `step-${i}-upload`);
    if (file?.tooLarge)
      throw new BadRequestException(
        `The new picture for step ${n} is larger than ${MAX_MB} MB: make it smaller and upload it again.`,
      );
    if (!file?.buffer?.length)
      throw new BadRequestException(`Choose an image file to upload to step ${n}.`);
    const alt = field(body, `step-${i}-upload-alt`)?.trim();
    if (!alt)
      throw new BadRequestException(
        `Say what the new picture for step ${n} shows: it is read to people who cannot see it.`,
      );
    if (alt.length > 300)
      throw new BadRequestException('Say what the picture shows in at most 300 characters.');
    const image = await this.images.store(file.buffer, librarian);
    steps[i] = { ...steps[i], images: [...steps[i].images, { src: image.url, alt }] };
    return `Picture added to step ${n}; the draft is saved with your text.`;
  }

  private async sendEditor(
    req: Request,
    res: Response,
    slug: string,
    content: ManualContent,
    isDraft: boolean,
    flash?: Flash,
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
        publishedRevision={manual.publishedRevision}
        revisions={revisions}
        devices={devices}
      />,
      status,
    );
  }
}

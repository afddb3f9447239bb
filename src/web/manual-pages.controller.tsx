import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { User } from '../accounts/user.entity';
import { CurrentUser, Public, Roles } from '../common/decorators/auth.decorators';
import { AppConfig } from '../config/app-config';
import { toManualResponse, toManualSummary } from '../manuals/manual.response';
import { ManualsService } from '../manuals/manuals.service';
import { field, Pages } from './pages.service';
import { ManualListPage, ManualPage, ManualPrintPage } from './views/manual';

/** Walkthroughs to read step by step, with progress kept for signed-in patrons, and to print. */
@ApiExcludeController()
@Controller('manuals')
export class ManualPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly manuals: ManualsService,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  async list(@Req() req: Request, @Res() res: Response, @Query('q') q: unknown): Promise<void> {
    const ctx = this.pages.context(req, res);
    const words = typeof q === 'string' ? q.slice(0, 200) : '';
    let found = await this.manuals.listPublished(words || undefined).catch(() => null);
    if (found === null) {
      ctx.flash = { kind: 'error', text: 'Those search words could not be used; showing all.' };
      found = await this.manuals.listPublished();
    }
    const manuals = found.map(({ manual, revision }) => toManualSummary(manual, revision));
    this.pages.send(res, <ManualListPage ctx={ctx} manuals={manuals} q={words} />);
  }

  @Public()
  @Get(':slug')
  async read(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Query('step') stepParam: unknown,
    @CurrentUser() user: User | undefined,
  ): Promise<void> {
    const ctx = this.pages.context(req, res);
    const manual = await this.published(slug);
    const asked = typeof stepParam === 'string' ? Number(stepParam) : 0;
    const step = Number.isInteger(asked) && asked >= 0 && asked <= manual.steps.length ? asked : 0;
    const progress = user?.role === 'patron' ? await this.manuals.progressOf(user.id, slug) : null;
    this.pages.send(
      res,
      <ManualPage ctx={ctx} manual={manual} step={step} reached={progress?.step ?? 0} />,
    );
  }

  @Public()
  @Get(':slug/print')
  async print(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
  ): Promise<void> {
    const ctx = this.pages.context(req, res);
    this.pages.send(res, <ManualPrintPage ctx={ctx} manual={await this.published(slug)} />);
  }

  @Roles('patron')
  @Post(':slug/progress')
  async progress(
    @Res() res: Response,
    @Param('slug') slug: string,
    @Body() body: unknown,
    @CurrentUser() user: User,
  ): Promise<void> {
    const step = Number(field(body, 'step'));
    const base = `/manuals/${encodeURIComponent(slug)}`;
    // A refused jump goes back to the step to do next, where its message says what to do.
    const reached = (await this.manuals.progressOf(user.id, slug))?.step ?? 0;
    const back = Number.isInteger(step) && step > 0 ? Math.min(step, reached + 1) : 0;
    const here = back > 0 ? `${base}?step=${back}` : base;
    await this.pages.act(res, { success: base, failure: here }, async () => {
      if (!Number.isInteger(step) || step < 1)
        throw new BadRequestException('step must be a step number');
      const result = await this.manuals.recordProgress(user, slug, step);
      if (!result.completed)
        return { message: `Step ${step} done.`, to: `${base}?step=${step + 1}` };
      const certified = result.certified.length ? ' You can now book the devices it covers.' : '';
      return { message: `You finished the walkthrough.${certified}`, to: base };
    });
  }

  private async published(slug: string) {
    const { manual, revision } = await this.manuals.getPublished(slug);
    return toManualResponse(manual, revision, this.config.publicUrl, this.config.timezone);
  }
}

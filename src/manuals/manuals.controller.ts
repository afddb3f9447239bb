import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import QRCode from 'qrcode';
import type { User } from '../accounts/user.entity';
import { CurrentUser, Public, Roles } from '../common/decorators/auth.decorators';
import { AppConfig } from '../config/app-config';
import {
  CreateManualDto,
  DiffQueryDto,
  SendManualDto,
  ManualContentDto,
  ManualQueryDto,
  ProgressDto,
  PublishManualDto,
} from './dto/manual-content.dto';
import type { ManualContent } from './manual-content';
import {
  ManualDraftResponse,
  ManualResponse,
  ManualRevisionResponse,
  ManualSummaryResponse,
  toManualResponse,
  toManualSummary,
  toRevisionResponse,
} from './manual.response';
import { ManualSender } from './manual-sender.service';
import { ManualsService } from './manuals.service';
import { RevisionDiffResponse, SentManualResponse, ProgressResponse } from './manual-use.response';
import { ApiFileResponse } from '../common/openapi';

/** A revision number in a path: a whole number small enough for every engine's integer column. */
const REVISION = new ParseIntPipe({
  exceptionFactory: () => new BadRequestException('n must be a revision number'),
});

function contentOf(dto: ManualContentDto): ManualContent {
  return {
    title: dto.title,
    summary: dto.summary,
    difficulty: dto.difficulty,
    estimatedMinutes: [dto.estimatedMinutes[0], dto.estimatedMinutes[1]],
    equipment: dto.equipment,
    bring: dto.bring,
    prerequisites: dto.prerequisites,
    grantsCertification: dto.grantsCertification,
    introduction: dto.introduction,
    steps: dto.steps.map((s) => ({
      title: s.title,
      body: s.body,
      images: (s.images ?? []).map((i) => ({ src: i.src, alt: i.alt })),
    })),
    conclusion: dto.conclusion,
  };
}

@ApiTags('manuals')
@Controller('api/manuals')
export class ManualsController {
  constructor(
    private readonly manuals: ManualsService,
    private readonly sender: ManualSender,
    private readonly config: AppConfig,
  ) {}

  /** Published walkthroughs; `q` searches titles and step text, best match first. */
  @Public()
  @Get()
  async list(@Query() query: ManualQueryDto): Promise<ManualSummaryResponse[]> {
    return (await this.manuals.listPublished(query.q)).map(({ manual, revision }) =>
      toManualSummary(manual, revision),
    );
  }

  /** The published walkthrough, step by step, rendered. */
  @Public()
  @Get(':slug')
  async get(@Param('slug') slug: string): Promise<ManualResponse> {
    const { manual, revision } = await this.manuals.getPublished(slug);
    return toManualResponse(manual, revision, this.config.publicUrl, this.config.timezone);
  }

  /** QR code of the walkthrough's public page, for a sticker on the device. */
  @Public()
  @ApiFileResponse('image/svg+xml')
  @Get(':slug/qr.svg')
  async qr(@Param('slug') slug: string, @Res() response: Response): Promise<void> {
    const { manual } = await this.manuals.getPublished(slug);
    const svg = await QRCode.toString(`${this.config.publicUrl}/manuals/${manual.slug}`, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
    });
    response
      .status(200)
      .type('image/svg+xml')
      .setHeader('Cache-Control', 'public, max-age=86400')
      .send(svg);
  }

  /** Start a walkthrough as a draft. */
  @Roles('librarian')
  @Post()
  async create(
    @Body() dto: CreateManualDto,
    @CurrentUser() librarian: User,
  ): Promise<ManualDraftResponse> {
    const manual = await this.manuals.create(dto.slug, contentOf(dto), librarian);
    return { slug: manual.slug, isDraft: true, publishedRevision: null, content: manual.draft! };
  }

  /** The working copy a librarian edits. */
  @Roles('librarian')
  @Get(':slug/draft')
  async draft(@Param('slug') slug: string): Promise<ManualDraftResponse> {
    const { manual, content, isDraft } = await this.manuals.working(slug);
    return { slug: manual.slug, isDraft, publishedRevision: manual.publishedRevision, content };
  }

  @Roles('librarian')
  @Put(':slug/draft')
  async saveDraft(
    @Param('slug') slug: string,
    @Body() dto: ManualContentDto,
    @CurrentUser() librarian: User,
  ): Promise<ManualDraftResponse> {
    const manual = await this.manuals.saveDraft(slug, contentOf(dto), librarian);
    return {
      slug: manual.slug,
      isDraft: true,
      publishedRevision: manual.publishedRevision,
      content: manual.draft!,
    };
  }

  /** The draft becomes the next published revision. */
  @Roles('librarian')
  @HttpCode(200)
  @Post(':slug/publish')
  async publish(
    @Param('slug') slug: string,
    @Body() dto: PublishManualDto,
    @CurrentUser() librarian: User,
  ): Promise<ManualResponse> {
    const { manual, revision } = await this.manuals.publish(
      slug,
      librarian,
      dto.changesUsage ?? false,
      dto.note ?? null,
    );
    return toManualResponse(manual, revision, this.config.publicUrl, this.config.timezone);
  }

  @Roles('librarian')
  @Get(':slug/revisions')
  async revisions(@Param('slug') slug: string): Promise<ManualRevisionResponse[]> {
    const manual = await this.manuals.find(slug);
    return (await this.manuals.history(slug)).map((r) =>
      toRevisionResponse(r, manual, this.config.timezone),
    );
  }

  /** One past revision's content. */
  @Roles('librarian')
  @Get(':slug/revisions/:n')
  async revision(
    @Param('slug') slug: string,
    @Param('n', REVISION) n: number,
  ): Promise<ManualDraftResponse> {
    const [manual, revision] = [
      await this.manuals.find(slug),
      await this.manuals.revision(slug, n),
    ];
    return {
      slug,
      isDraft: false,
      publishedRevision: manual.publishedRevision,
      content: revision.content,
    };
  }

  /** What changed from revision `from` to revision `to`. */
  @Roles('librarian')
  @Get(':slug/diff')
  diff(@Param('slug') slug: string, @Query() query: DiffQueryDto): Promise<RevisionDiffResponse> {
    return this.manuals.diff(slug, query.from, query.to);
  }

  /** Bring an old revision back as the draft; publish it to make it current. */
  @Roles('librarian')
  @HttpCode(200)
  @Post(':slug/revisions/:n/restore')
  async restore(
    @Param('slug') slug: string,
    @Param('n', REVISION) n: number,
    @CurrentUser() librarian: User,
  ): Promise<ManualDraftResponse> {
    const manual = await this.manuals.restore(slug, n, librarian);
    return {
      slug,
      isDraft: true,
      publishedRevision: manual.publishedRevision,
      content: manual.draft!,
    };
  }

  /** From the desk: e-mail the walkthrough's link to a patron (the one being checked in). */
  @Roles('staff')
  @HttpCode(200)
  @Post(':slug/send')
  async send(@Param('slug') slug: string, @Body() dto: SendManualDto): Promise<SentManualResponse> {
    const { sentTo, url } = await this.sender.sendToPatron(slug, dto.cardNumber);
    return { sentTo, url };
  }

  /** Record the step a patron reached; finishing a certifying walkthrough certifies them. */
  @Roles('patron')
  @HttpCode(200)
  @Post(':slug/progress')
  progress(
    @Param('slug') slug: string,
    @Body() dto: ProgressDto,
    @CurrentUser() patron: User,
  ): Promise<ProgressResponse> {
    return this.manuals.recordProgress(patron, slug, dto.step);
  }
}

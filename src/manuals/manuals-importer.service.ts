import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isDeepStrictEqual } from 'node:util';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { WriteTransactionService } from '../database/write-transaction.service';
import { formatManualSource, parseManualSource } from './manual-source';
import { ManualRevision } from './manual-revision.entity';
import { Manual } from './manual.entity';
import { ManualsService } from './manuals.service';

/** `manuals/` at the repository root, whether running from `src/` or `dist/`. */
export const MANUALS_DIR = join(__dirname, '..', '..', 'manuals');

export interface ImportReport {
  added: string[];
  updated: string[];
  unchanged: string[];
  /** Not imported, with the reason: a librarian's published edits, or a file that does not parse. */
  skipped: { slug: string; reason: string }[];
}

/** Keeps the database's manuals and the markdown files in `manuals/` in step, in both directions. */
@Injectable()
export class ManualsImporter {
  private readonly logger = new Logger(ManualsImporter.name);

  constructor(
    @InjectRepository(Manual) private readonly manuals: Repository<Manual>,
    @InjectRepository(ManualRevision) private readonly revisions: Repository<ManualRevision>,
    private readonly service: ManualsService,
    private readonly writes: WriteTransactionService,
    private readonly clock: Clock,
  ) {}

  /** On first start: load every file when there are no manuals yet. */
  async importIfEmpty(dir = MANUALS_DIR): Promise<ImportReport | null> {
    if ((await this.manuals.count()) > 0) return null;
    const report = await this.importDirectory(dir);
    this.logger.log(
      `Imported manuals: ${report.added.length} added, ${report.skipped.length} skipped`,
    );
    return report;
  }

  /**
   * Adds new files and publishes changed ones as a new revision. A manual whose published
   * revision was written in the app is not overwritten unless `overwrite` is set: it is reported.
   */
  async importDirectory(dir = MANUALS_DIR, overwrite = false): Promise<ImportReport> {
    const report: ImportReport = { added: [], updated: [], unchanged: [], skipped: [] };
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.md'))
      .sort()) {
      let parsed: ReturnType<typeof parseManualSource>;
      try {
        parsed = parseManualSource(readFileSync(join(dir, file), 'utf8'), file);
      } catch (error) {
        report.skipped.push({ slug: file, reason: (error as Error).message });
        continue;
      }
      const { slug, content } = parsed;
      const existing = await this.manuals.findOneBy({ slug });
      const published = existing?.publishedRevision
        ? await this.revisions.findOneBy({
            manualId: existing.id,
            number: existing.publishedRevision,
          })
        : null;
      if (published && isDeepStrictEqual(published.content, content)) {
        report.unchanged.push(slug);
        continue;
      }
      if (published?.authorId && !overwrite) {
        report.skipped.push({
          slug,
          reason:
            'its published revision was edited in the app; export it, or import with --overwrite',
        });
        continue;
      }
      try {
        await this.writes.run(async (manager) => {
          let manual = existing;
          if (!manual) {
            manual = {
              ...new Manual(),
              slug,
              draft: null,
              draftAuthorId: null,
              draftUpdatedAt: null,
              publishedRevision: null,
              createdAt: this.clock.now(),
            };
            await manager.insert(Manual, manual);
          }
          await this.service.publishContent(
            manager,
            manual,
            content,
            null,
            false,
            `Imported from manuals/${file}`,
          );
        });
        (existing ? report.updated : report.added).push(slug);
      } catch (error) {
        report.skipped.push({ slug, reason: (error as Error).message });
      }
    }
    return report;
  }

  /** Writes every published manual to `<slug>.md`; importing those files again changes nothing. */
  async exportDirectory(dir = MANUALS_DIR): Promise<string[]> {
    mkdirSync(dir, { recursive: true });
    const written: string[] = [];
    for (const { manual, revision } of await this.service.listPublished()) {
      writeFileSync(
        join(dir, `${manual.slug}.md`),
        formatManualSource(manual.slug, revision.content),
      );
      written.push(manual.slug);
    }
    return written;
  }
}

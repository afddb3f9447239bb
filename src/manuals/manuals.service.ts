import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import type { User } from '../accounts/user.entity';
import { AuditService } from '../audit/audit.service';
import { CertificationsService } from '../certifications/certifications.service';
import { Clock } from '../common/clock';
import { queryNamed } from '../database/named-query';
import { WriteTransactionService } from '../database/write-transaction.service';
import { Equipment } from '../equipment/equipment.entity';
import { EquipmentService } from '../equipment/equipment.service';
import { ImagesService } from '../images/images.service';
import { createTwoFilesPatch, diffLines } from 'diff';
import { ManualContent, searchableText } from './manual-content';
import { formatManualSource } from './manual-source';
import { ManualProgress } from './manual-progress.entity';
import { ManualRevision } from './manual-revision.entity';
import { Manual } from './manual.entity';
import { progressRefusal } from './progress-rules';
import { plainText } from './render';
import { compareContents, type ComparedSection } from './word-diff';

export interface PublishedManual {
  manual: Manual;
  revision: ManualRevision;
}

export interface RevisionDiff {
  from: number;
  to: number;
  changes: { type: 'added' | 'removed' | 'unchanged'; lines: string[] }[];
  /** The same as a unified diff. */
  unified: string;
}

export interface RevisionComparison {
  from: number;
  to: number;
  /** The title in revision `to`. */
  title: string;
  sections: ComparedSection[];
}

export interface ProgressResult {
  step: number;
  steps: number;
  completed: boolean;
  /** Equipment slugs the patron was certified for by finishing. */
  certified: string[];
}

@Injectable()
export class ManualsService {
  constructor(
    @InjectRepository(Manual) private readonly manuals: Repository<Manual>,
    @InjectRepository(ManualRevision) private readonly revisions: Repository<ManualRevision>,
    @InjectRepository(ManualProgress) private readonly progress: Repository<ManualProgress>,
    private readonly equipment: EquipmentService,
    private readonly images: ImagesService,
    private readonly certifications: CertificationsService,
    private readonly writes: WriteTransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Published manuals, best match first when searching, else by title. */
  async listPublished(q?: string): Promise<PublishedManual[]> {
    const published = await this.manuals
      .createQueryBuilder('m')
      .innerJoin(ManualRevision, 'r', 'r.manual_id = m.id AND r.number = m.published_revision')
      .select(['m.id'])
      .getMany();
    const ids = q?.trim() ? await this.search(q) : published.map((m) => m.id);
    const known = new Set(published.map((m) => m.id));
    const loaded = await this.loadPublished(ids.filter((id) => known.has(id)));
    if (!q?.trim())
      loaded.sort((a, b) => a.revision.content.title.localeCompare(b.revision.content.title));
    return loaded;
  }

  private async loadPublished(ids: string[]): Promise<PublishedManual[]> {
    if (ids.length === 0) return [];
    const manuals = await this.manuals.findBy({ id: In(ids) });
    const revisions = await this.revisions
      .createQueryBuilder('r')
      .innerJoin(Manual, 'm', 'm.id = r.manual_id AND r.number = m.published_revision')
      .where('r.manual_id IN (:...ids)', { ids })
      .getMany();
    const byManual = new Map(revisions.map((r) => [r.manualId, r]));
    const byId = new Map(manuals.map((m) => [m.id, m]));
    return ids.flatMap((id) =>
      byId.has(id) && byManual.has(id)
        ? [{ manual: byId.get(id)!, revision: byManual.get(id)! }]
        : [],
    );
  }

  /** Ranked full-text search: SQLite FTS5 (bm25, titles weighted) or Postgres tsvector (ts_rank). */
  private async search(q: string): Promise<string[]> {
    const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.length === 0) return [];
    if (this.writes.onPostgres) {
      const rows = await this.manuals.query<{ manual_id: string }[]>(
        `SELECT manual_id FROM manual_search, to_tsquery('english', $1) query
         WHERE document @@ query ORDER BY ts_rank(document, query) DESC, title`,
        [words.map((w) => `${w}:*`).join(' & ')],
      );
      return rows.map((r) => r.manual_id);
    }
    const rows = await this.manuals.query<{ manual_id: string }[]>(
      'SELECT manual_id FROM manual_search WHERE manual_search MATCH ? ORDER BY bm25(manual_search, 0, 10, 1), title',
      [words.map((w) => `"${w}"*`).join(' AND ')],
    );
    return rows.map((r) => r.manual_id);
  }

  /** Every walkthrough, published or still a draft, for the editors' list. */
  async listForEditors(): Promise<
    { slug: string; title: string; publishedRevision: number | null; hasDraft: boolean }[]
  > {
    const manuals = await this.manuals.find({ order: { slug: 'ASC' } });
    const keys = manuals
      .filter((m) => m.publishedRevision !== null)
      .map((m) => ({ manualId: m.id, number: m.publishedRevision! }));
    // An empty list of conditions would match every revision.
    const published = keys.length ? await this.revisions.find({ where: keys }) : [];
    const titles = new Map(published.map((r) => [r.manualId, r.content.title]));
    return manuals.map((m) => ({
      slug: m.slug,
      title: m.draft?.title ?? titles.get(m.id) ?? m.slug,
      publishedRevision: m.publishedRevision,
      hasDraft: m.draft !== null,
    }));
  }

  async getPublished(slug: string): Promise<PublishedManual> {
    const manual = await this.find(slug);
    if (manual.publishedRevision === null)
      throw new NotFoundException(`The walkthrough "${slug}" is not published yet.`);
    const revision = await this.revisions.findOneByOrFail({
      manualId: manual.id,
      number: manual.publishedRevision,
    });
    return { manual, revision };
  }

  async find(slug: string): Promise<Manual> {
    const manual = await this.manuals.findOneBy({ slug });
    if (!manual) throw new NotFoundException(`There is no walkthrough called "${slug}".`);
    return manual;
  }

  /** The librarian's working copy: the draft if there is one, else the published content. */
  async working(
    slug: string,
  ): Promise<{ manual: Manual; content: ManualContent; isDraft: boolean }> {
    const manual = await this.find(slug);
    if (manual.draft) return { manual, content: manual.draft, isDraft: true };
    const { revision } = await this.getPublished(slug);
    return { manual, content: revision.content, isDraft: false };
  }

  async create(slug: string, content: ManualContent, author: User): Promise<Manual> {
    await this.checkReferences(content, slug);
    const now = this.clock.now();
    await this.writes.run(async (manager) => {
      if (await manager.existsBy(Manual, { slug }))
        throw new ConflictException(`A walkthrough called "${slug}" already exists.`);
      await manager.insert(Manual, {
        ...new Manual(),
        slug,
        draft: content,
        draftAuthorId: author.id,
        draftUpdatedAt: now,
        publishedRevision: null,
        createdAt: now,
      });
    });
    return this.find(slug);
  }

  async saveDraft(slug: string, content: ManualContent, author: User): Promise<Manual> {
    const manual = await this.find(slug);
    await this.checkReferences(content, slug);
    await this.writes.run((manager) =>
      manager.update(
        Manual,
        { id: manual.id },
        { draft: content, draftAuthorId: author.id, draftUpdatedAt: this.clock.now() },
      ),
    );
    return this.find(slug);
  }

  /**
   * The draft becomes the next published revision. The draft is read again inside the write
   * transaction with the manual's row locked, so publishes and draft saves of one manual apply one
   * after the other: a draft is published once (a publish that finds it already published is told
   * there is nothing new), and a draft saved meanwhile is either in the revision or still the draft.
   */
  async publish(
    slug: string,
    author: User | null,
    changesUsage = false,
    note: string | null = null,
  ): Promise<PublishedManual> {
    const manual = await this.find(slug);
    if (!manual.draft) throw this.nothingToPublish(manual);
    await this.checkReferences(manual.draft, slug);
    await this.writes.run(async (manager) => {
      const locked = await this.lockedManual(manager, manual.id);
      // A draft saved since the check above was checked by its own save.
      if (!locked.draft) throw this.nothingToPublish(locked);
      const content = locked.draft;
      const number = await this.publishContent(
        manager,
        manual,
        content,
        author?.id ?? null,
        changesUsage,
        note,
      );
      await this.audit.record(manager, author, {
        action: 'manual.published',
        subjectType: 'manual',
        subject: slug,
        details: { revision: number, changesUsage, note },
      });
    });
    return this.getPublished(slug);
  }

  private nothingToPublish(manual: Manual): ConflictException {
    return new ConflictException(
      manual.publishedRevision === null
        ? 'There is no draft to publish: save changes first.'
        : `There is nothing new to publish: revision ${manual.publishedRevision} already has every saved change. Save changes first.`,
    );
  }

  /** The manual's row, locked until the transaction ends on Postgres; SQLite's write queue already serialises. */
  private lockedManual(manager: EntityManager, id: string): Promise<Manual> {
    const query = manager.createQueryBuilder(Manual, 'm').where('m.id = :id', { id });
    if (this.writes.onPostgres) query.setLock('pessimistic_write');
    return query.getOneOrFail();
  }

  /** Writes a new revision and makes it the published one; the caller holds the write transaction. */
  async publishContent(
    manager: EntityManager,
    manual: Manual,
    content: ManualContent,
    authorId: string | null,
    changesUsage: boolean,
    note: string | null,
  ): Promise<number> {
    const current = await this.lockedManual(manager, manual.id);
    const number = (current.publishedRevision ?? 0) + 1;
    await manager.insert(ManualRevision, {
      ...new ManualRevision(),
      manualId: manual.id,
      number,
      content,
      authorId,
      changesUsage,
      note,
      publishedAt: this.clock.now(),
    });
    await manager.update(
      Manual,
      { id: manual.id },
      { publishedRevision: number, draft: null, draftAuthorId: null, draftUpdatedAt: null },
    );
    const devices = content.equipment.length
      ? await manager.findBy(Equipment, { slug: In(content.equipment) })
      : [];
    await manager
      .createQueryBuilder()
      .delete()
      .from('manual_equipment')
      .where('manual_id = :id', { id: manual.id })
      .execute();
    if (devices.length) {
      await manager
        .createQueryBuilder()
        .insert()
        .into('manual_equipment', ['manual_id', 'equipment_id'])
        .values(devices.map((d) => ({ manual_id: manual.id, equipment_id: d.id })))
        .execute();
    }
    await this.index(manager, manual.id, content);
    return number;
  }

  private async index(
    manager: EntityManager,
    manualId: string,
    content: ManualContent,
  ): Promise<void> {
    const body = plainText(searchableText(content));
    if (this.writes.onPostgres) {
      await manager.query(
        'INSERT INTO manual_search (manual_id, title, body) VALUES ($1, $2, $3) ON CONFLICT (manual_id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body',
        [manualId, content.title, body],
      );
      return;
    }
    await manager.query('DELETE FROM manual_search WHERE manual_id = ?', [manualId]);
    await manager.query('INSERT INTO manual_search (manual_id, title, body) VALUES (?, ?, ?)', [
      manualId,
      content.title,
      body,
    ]);
  }

  async history(slug: string): Promise<ManualRevision[]> {
    const manual = await this.find(slug);
    return this.revisions.find({
      where: { manualId: manual.id },
      relations: { author: true },
      order: { number: 'DESC' },
    });
  }

  async revision(slug: string, number: number): Promise<ManualRevision> {
    const manual = await this.find(slug);
    // Past any real revision, and past what an int4 column can compare on Postgres.
    if (number < 1 || number > 1_000_000)
      throw new NotFoundException(`"${slug}" has no revision ${number}.`);
    const revision = await this.revisions.findOne({
      where: { manualId: manual.id, number },
      relations: { author: true },
    });
    if (!revision) throw new NotFoundException(`"${slug}" has no revision ${number}.`);
    return revision;
  }

  /** What changed between two revisions, line by line over their source text. */
  async diff(slug: string, from: number, to: number): Promise<RevisionDiff> {
    const [before, after] = [await this.revision(slug, from), await this.revision(slug, to)];
    const [a, b] = [
      formatManualSource(slug, before.content),
      formatManualSource(slug, after.content),
    ];
    return {
      from,
      to,
      changes: diffLines(a, b).map((part) => ({
        type: part.added ? 'added' : part.removed ? 'removed' : 'unchanged',
        lines: part.value.replace(/\n$/, '').split('\n'),
      })),
      unified: createTwoFilesPatch(
        `${slug} revision ${from}`,
        `${slug} revision ${to}`,
        a,
        b,
        undefined,
        undefined,
        { context: 3 },
      ),
    };
  }

  /** Two revisions, part by part, rendered as patrons see them, with the changed words marked. */
  async compareRevisions(slug: string, from: number, to: number): Promise<RevisionComparison> {
    const [before, after] = [await this.revision(slug, from), await this.revision(slug, to)];
    return {
      from,
      to,
      title: after.content.title,
      sections: compareContents(before.content, after.content),
    };
  }

  /** An old revision comes back as the draft; publishing it makes a new revision. */
  async restore(slug: string, number: number, author: User): Promise<Manual> {
    const revision = await this.revision(slug, number);
    await this.writes.run(async (manager) => {
      await manager.update(
        Manual,
        { id: revision.manualId },
        { draft: revision.content, draftAuthorId: author.id, draftUpdatedAt: this.clock.now() },
      );
      await this.audit.record(manager, author, {
        action: 'manual.restored',
        subjectType: 'manual',
        subject: slug,
        details: { revision: number },
      });
    });
    return this.find(slug);
  }

  /** How far the patron got in the published revision (an older revision's progress starts over). */
  async progressOf(
    patronId: string,
    slug: string,
  ): Promise<{ step: number; completed: boolean } | null> {
    const { manual, revision } = await this.getPublished(slug);
    const row = await this.progress.findOneBy({ patronId, manualId: manual.id });
    if (!row || row.revision !== revision.number) return null;
    return { step: row.step, completed: row.completedAt !== null };
  }

  /**
   * Keeps the furthest step a patron reached, one step at a time; finishing a certifying
   * walkthrough, once its prerequisites are finished, certifies them.
   */
  async recordProgress(patron: User, slug: string, step: number): Promise<ProgressResult> {
    const { manual, revision } = await this.getPublished(slug);
    const content = revision.content;
    const steps = content.steps.length;
    if (step > steps) throw new BadRequestException(`step must be between 1 and ${steps}`);
    const now = this.clock.now();
    const result = await this.writes.run(async (manager) => {
      const row = await this.lockedProgress(manager, patron.id, manual.id);
      const current = row && row.revision === revision.number ? row : null;
      const refused = progressRefusal({
        step,
        reached: current?.step ?? 0,
        finished: Boolean(current?.completedAt),
        stepTitles: content.steps.map((s) => s.title),
        grantsCertification: content.grantsCertification,
        unfinishedPrerequisites: await this.unfinishedPrerequisites(
          manager,
          patron.id,
          content.prerequisites.filter((p) => p !== slug),
        ),
      });
      if (refused) throw new UnprocessableEntityException(refused);
      const reached = Math.max(current?.step ?? 0, step);
      const completedNow = reached === steps && !current?.completedAt;
      const completedAt = reached === steps ? (current?.completedAt ?? now) : null;
      if (row)
        await manager.update(
          ManualProgress,
          { id: row.id },
          { revision: revision.number, step: reached, updatedAt: now, completedAt },
        );
      else
        await manager.insert(ManualProgress, {
          ...new ManualProgress(),
          patronId: patron.id,
          manualId: manual.id,
          revision: revision.number,
          step: reached,
          updatedAt: now,
          completedAt,
        });
      return { reached, completedNow };
    });
    const certified: string[] = [];
    if (result.completedNow && revision.content.grantsCertification) {
      for (const slugOfDevice of revision.content.equipment) {
        const device = await this.equipment.get(slugOfDevice).catch(() => null);
        if (!device) continue;
        await this.certifications.grant(patron, device, null);
        certified.push(device.slug);
      }
    }
    return { step: result.reached, steps, completed: result.reached === steps, certified };
  }

  /**
   * The patron's progress row, held until the transaction ends so that two taps of "Done" apply
   * one after the other. On Postgres a row lock, taken after making sure the row exists (two
   * first taps would otherwise both insert it); on SQLite the write queue already serialises.
   */
  private async lockedProgress(
    manager: EntityManager,
    patronId: string,
    manualId: string,
  ): Promise<ManualProgress | null> {
    if (!this.writes.onPostgres) return manager.findOneBy(ManualProgress, { patronId, manualId });
    await manager
      .createQueryBuilder()
      .insert()
      .into(ManualProgress)
      .values({
        ...new ManualProgress(),
        patronId,
        manualId,
        revision: 0,
        step: 0,
        updatedAt: this.clock.now(),
        completedAt: null,
      })
      .orIgnore()
      .execute();
    return manager
      .createQueryBuilder(ManualProgress, 'p')
      .where('p.patron_id = :patronId AND p.manual_id = :manualId', { patronId, manualId })
      .setLock('pessimistic_write')
      .getOne();
  }

  /** Published prerequisite walkthroughs the patron has not finished (any revision counts). */
  private async unfinishedPrerequisites(
    manager: EntityManager,
    patronId: string,
    slugs: string[],
  ): Promise<{ slug: string; title: string }[]> {
    if (slugs.length === 0) return [];
    const manuals = await manager.findBy(Manual, { slug: In(slugs) });
    const unfinished: { slug: string; title: string }[] = [];
    for (const slug of slugs) {
      const manual = manuals.find((m) => m.slug === slug);
      // One that is not published yet cannot be read, so it cannot hold a patron back.
      if (!manual || manual.publishedRevision === null) continue;
      const done = await manager
        .createQueryBuilder(ManualProgress, 'p')
        .where('p.patron_id = :patronId AND p.manual_id = :manualId', {
          patronId,
          manualId: manual.id,
        })
        .andWhere('p.completed_at IS NOT NULL')
        .getExists();
      if (done) continue;
      const revision = await manager.findOneByOrFail(ManualRevision, {
        manualId: manual.id,
        number: manual.publishedRevision,
      });
      unfinished.push({ slug, title: revision.content.title });
    }
    return unfinished;
  }

  /**
   * Certifying walkthroughs of the device that were revised "changing how it is used" after the
   * patron's certification, and which the patron has not finished since.
   */
  async rereadsFor(
    patronId: string,
    equipmentId: string,
    manager?: EntityManager,
  ): Promise<string[]> {
    return (await this.rereadsOf(patronId, [equipmentId], manager)).get(equipmentId) ?? [];
  }

  /** `rereadsFor` of several devices in one statement, by device (devices with none left out). */
  async rereadsOf(
    patronId: string,
    equipmentIds: string[],
    manager?: EntityManager,
  ): Promise<Map<string, string[]>> {
    const pending = new Map<string, string[]>();
    if (equipmentIds.length === 0) return pending;
    const rows = await queryNamed<{
      equipment_id: string;
      slug: string;
      changed: number | string;
      read_revision: number | string | null;
      completed_at: unknown;
    }>(
      manager ?? this.manuals.manager,
      `SELECT me.equipment_id, m.slug, MAX(r.number) AS changed,
              p.revision AS read_revision, p.completed_at
       FROM manual_equipment me
       INNER JOIN manuals m ON m.id = me.manual_id
       INNER JOIN manual_revisions r ON r.manual_id = m.id AND r.changes_usage = :yes
       INNER JOIN certifications c ON c.equipment_id = me.equipment_id AND c.patron_id = :patron
       LEFT JOIN manual_progress p ON p.manual_id = m.id AND p.patron_id = :patron
       WHERE me.equipment_id IN (:...devices) AND r.published_at > c.granted_at
       GROUP BY me.equipment_id, m.slug, p.revision, p.completed_at
       ORDER BY m.slug`,
      { yes: true, patron: patronId, devices: equipmentIds },
    );
    for (const row of rows) {
      const done = row.completed_at != null && Number(row.read_revision) >= Number(row.changed);
      if (!done)
        pending.set(row.equipment_id, [...(pending.get(row.equipment_id) ?? []), row.slug]);
    }
    return pending;
  }

  /** Every equipment, prerequisite and picture a manual names must exist. */
  private async checkReferences(content: ManualContent, slug: string): Promise<void> {
    const [min, max] = content.estimatedMinutes;
    if (min > max)
      throw new BadRequestException('estimatedMinutes must be [min, max] with min ≤ max');
    const missing = new Set(
      await this.images.missing(content.steps.flatMap((s) => s.images.map((i) => i.src))),
    );
    content.steps.forEach((step, s) =>
      step.images.forEach((image, i) => {
        if (missing.has(image.src))
          throw new BadRequestException(
            `steps.${s}.images.${i}.src names no uploaded image: upload it to /api/images first`,
          );
      }),
    );
    if (content.equipment.length) {
      const found = await this.equipment.list({ includeRetired: true });
      const known = new Set(found.map((d) => d.slug));
      const unknown = content.equipment.filter((s) => !known.has(s));
      if (unknown.length)
        throw new BadRequestException(`equipment names unknown devices: ${unknown.join(', ')}`);
    }
    const others = content.prerequisites.filter((p) => p !== slug);
    if (others.length) {
      const manuals = await this.manuals.findBy({ slug: In(others) });
      const missing = others.filter((p) => !manuals.some((m) => m.slug === p));
      if (missing.length)
        throw new BadRequestException(
          `prerequisites name unknown walkthroughs: ${missing.join(', ')}`,
        );
    }
  }
}

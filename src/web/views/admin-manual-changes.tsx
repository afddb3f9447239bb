import type { ComparedSection } from '../../manuals/word-diff';
import type { PageContext } from './context';
import { Layout } from './layout';

/**
 * Two texts of a manual, part by part, side by side, rendered, with the changed words marked;
 * the parts that did not change are named in one line.
 */
export function ComparedParts({
  sections,
  before,
  after,
  same,
}: {
  sections: ComparedSection[];
  /** The headings of the two sides. */
  before: string;
  after: string;
  /** What to say when nothing changed. */
  same: string;
}) {
  const changed = sections.filter((s) => s.changed);
  const unchanged = sections.filter((s) => !s.changed);
  return (
    <>
      {changed.length ? null : <p>{same}</p>}
      {changed.map((section) => (
        <section key={section.label} class="compare" aria-label={section.label}>
          <h2>{section.label}</h2>
          <div class="side-by-side">
            <div>
              <h3>{before}</h3>
              <div
                class="preview"
                dangerouslySetInnerHTML={{ __html: section.before || '<p>(not there)</p>' }}
              />
            </div>
            <div>
              <h3>{after}</h3>
              <div
                class="preview"
                dangerouslySetInnerHTML={{ __html: section.after || '<p>(removed)</p>' }}
              />
            </div>
          </div>
        </section>
      ))}
      {unchanged.length ? <p>Unchanged: {unchanged.map((s) => s.label).join(', ')}.</p> : null}
    </>
  );
}

/** The draft beside the published text, part by part, rendered, with the changed words marked. */
export function ManualChangesPage({
  ctx,
  slug,
  title,
  publishedRevision,
  sections,
}: {
  ctx: PageContext;
  slug: string;
  title: string;
  publishedRevision: number | null;
  sections: ComparedSection[];
}) {
  const published = publishedRevision ? `Published (revision ${publishedRevision})` : 'Published';
  return (
    <Layout ctx={ctx} title={`Draft changes in ${title}`} wide>
      <p class="breadcrumb">
        <a href={`/admin/manuals/${slug}/edit`}>Back to the editor</a>
      </p>
      <h1>What the draft changes in “{title}”</h1>
      <p>
        Words struck through are only in the published text; underlined words are new in the draft.
      </p>
      <ComparedParts
        sections={sections}
        before={published}
        after="Draft"
        same="The draft is the same as the published text."
      />
    </Layout>
  );
}

/** One revision beside another, in the same words as the draft's changes. */
export function RevisionChangesPage({
  ctx,
  slug,
  title,
  from,
  to,
  sections,
}: {
  ctx: PageContext;
  slug: string;
  title: string;
  from: number;
  to: number;
  sections: ComparedSection[];
}) {
  return (
    <Layout ctx={ctx} title={`Revision ${from} and revision ${to} of ${title}`} wide>
      <p class="breadcrumb">
        <a href={`/admin/manuals/${slug}/edit`}>Back to the editor</a>
      </p>
      <h1>
        Revision {from} → revision {to} of “{title}”
      </h1>
      <p>
        Words struck through are only in revision {from}; underlined words are new in revision {to}.
      </p>
      <ComparedParts
        sections={sections}
        before={`Revision ${from}`}
        after={`Revision ${to}`}
        same={`Revision ${from} and revision ${to} say the same.`}
      />
    </Layout>
  );
}

import type { ComparedSection } from '../../manuals/word-diff';
import type { PageContext } from './context';
import { Layout } from './layout';

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
  const changed = sections.filter((s) => s.changed);
  const same = sections.filter((s) => !s.changed);
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
      {changed.length ? null : <p>The draft is the same as the published text.</p>}
      {changed.map((section) => (
        <section key={section.label} class="compare" aria-label={section.label}>
          <h2>{section.label}</h2>
          <div class="side-by-side">
            <div>
              <h3>{published}</h3>
              <div
                class="preview"
                dangerouslySetInnerHTML={{ __html: section.before || '<p>(not there)</p>' }}
              />
            </div>
            <div>
              <h3>Draft</h3>
              <div
                class="preview"
                dangerouslySetInnerHTML={{ __html: section.after || '<p>(removed)</p>' }}
              />
            </div>
          </div>
        </section>
      ))}
      {same.length ? <p>Unchanged: {same.map((s) => s.label).join(', ')}.</p> : null}
    </Layout>
  );
}

import { DIFFICULTIES, type ManualContent } from '../../manuals/manual-content';
import type { ManualRevisionResponse } from '../../manuals/manual.response';
import { MarkdownField, MultipartForm, StepFields } from './admin-manual-step';
import type { PageContext } from './context';
import { Layout, PostForm } from './layout';
import { DIFFICULTY_WORDS } from './manual';

export interface EditorListItem {
  slug: string;
  title: string;
  publishedRevision: number | null;
  hasDraft: boolean;
}

export function ManualAdminListPage({
  ctx,
  manuals,
}: {
  ctx: PageContext;
  manuals: EditorListItem[];
}) {
  return (
    <Layout ctx={ctx} title="Manual editor" wide>
      <h1>Walkthroughs</h1>
      <div class="table-scroll">
        <table>
          <caption>Every walkthrough and its state</caption>
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Published</th>
              <th scope="col">Draft</th>
            </tr>
          </thead>
          <tbody>
            {manuals.map((m) => (
              <tr key={m.slug}>
                <th scope="row">
                  <a href={`/admin/manuals/${m.slug}/edit`}>{m.title}</a>
                </th>
                <td>{m.publishedRevision ? `Revision ${m.publishedRevision}` : 'Not yet'}</td>
                <td>{m.hasDraft ? 'Unpublished changes' : 'None'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section aria-labelledby="new">
        <h2 id="new">Start a walkthrough</h2>
        <PostForm ctx={ctx} action="/admin/manuals" label="New walkthrough">
          <p>
            <label for="new-slug">Short name for its address</label>
            <input
              id="new-slug"
              name="slug"
              required
              pattern="[a-z0-9]+(-[a-z0-9]+)*"
              aria-describedby="new-slug-hint"
            />
            <span id="new-slug-hint" class="hint">
              Lower-case words joined by hyphens, e.g. cricut-basics.
            </span>
          </p>
          <p>
            <label for="new-title">Title</label>
            <input id="new-title" name="title" required maxLength={200} />
          </p>
          <p>
            <button type="submit">Start the draft</button>
          </p>
        </PostForm>
      </section>
    </Layout>
  );
}

export function ManualEditorPage({
  ctx,
  slug,
  content,
  isDraft,
  publishedRevision,
  revisions,
  devices,
}: {
  ctx: PageContext;
  slug: string;
  content: ManualContent;
  isDraft: boolean;
  publishedRevision: number | null;
  revisions: ManualRevisionResponse[];
  devices: { slug: string; name: string }[];
}) {
  const base = `/admin/manuals/${slug}`;
  const last = content.steps.length - 1;
  const at = ctx.flash?.at;
  if (ctx.flash && at && !content.steps.some((_, i) => at === `step-${i}`))
    ctx = { ...ctx, flash: { kind: ctx.flash.kind, text: ctx.flash.text } };
  return (
    <Layout ctx={ctx} title={`Edit ${content.title}`} wide>
      <p class="breadcrumb">
        <a href="/admin/manuals">Walkthroughs</a> › {content.title}
      </p>
      <h1>Edit “{content.title}”</h1>
      <p>
        {isDraft
          ? 'You are editing the draft: patrons do not see it until it is published.'
          : 'No draft: this is the published text. Saving starts a draft.'}{' '}
        {publishedRevision ? (
          <a href={`/manuals/${slug}`}>Published page (revision {publishedRevision})</a>
        ) : (
          'Not published yet.'
        )}
      </p>
      {publishedRevision && isDraft ? (
        <p>
          <a href={`${base}/changes`}>Compare the draft with the published text</a>
        </p>
      ) : null}
      <MultipartForm ctx={ctx} action={`${base}/edit`} label="Walkthrough" class="editor">
        <input type="hidden" name="stepCount" value={String(content.steps.length)} />
        <p>
          <label for="title">Title</label>
          <input
            id="title"
            name="title"
            value={content.title}
            required
            maxLength={200}
            class="wide-input"
          />
        </p>
        <p>
          <label for="summary">Summary</label>
          <textarea id="summary" name="summary" rows={2} required maxLength={1000}>
            {content.summary}
          </textarea>
        </p>
        <div class="columns">
          <p>
            <label for="difficulty">Difficulty</label>
            <select id="difficulty" name="difficulty">
              {DIFFICULTIES.map((d) => (
                <option key={d} value={d} selected={content.difficulty === d}>
                  {DIFFICULTY_WORDS[d]}
                </option>
              ))}
            </select>
          </p>
          <fieldset>
            <legend>Time it takes (minutes)</legend>
            <label for="minMinutes">At least</label>
            <input
              id="minMinutes"
              name="minMinutes"
              type="number"
              min={1}
              max={1440}
              value={String(content.estimatedMinutes[0])}
            />
            <label for="maxMinutes">At most</label>
            <input
              id="maxMinutes"
              name="maxMinutes"
              type="number"
              min={1}
              max={1440}
              value={String(content.estimatedMinutes[1])}
            />
          </fieldset>
        </div>
        <p>
          <label for="equipment">Devices it covers</label>
          <select
            id="equipment"
            name="equipment"
            multiple
            size={6}
            aria-describedby="equipment-hint"
          >
            {devices.map((d) => (
              <option key={d.slug} value={d.slug} selected={content.equipment.includes(d.slug)}>
                {d.name}
              </option>
            ))}
          </select>
          <span id="equipment-hint" class="hint">
            Hold Ctrl (or ⌘) to pick more than one.
          </span>
        </p>
        <p>
          <input
            type="checkbox"
            id="grantsCertification"
            name="grantsCertification"
            value="true"
            checked={content.grantsCertification}
          />{' '}
          <label for="grantsCertification" class="inline-label">
            Finishing it certifies the patron for these devices
          </label>
        </p>
        <p>
          <label for="bring">What to bring, one per line</label>
          <textarea id="bring" name="bring" rows={3}>
            {content.bring.join('\n')}
          </textarea>
        </p>
        <p>
          <label for="prerequisites">
            Walkthroughs to read first (short names, separated by spaces)
          </label>
          <input
            id="prerequisites"
            name="prerequisites"
            value={content.prerequisites.join(' ')}
            class="wide-input"
          />
        </p>
        <MarkdownField
          id="introduction"
          name="introduction"
          label="Introduction"
          value={content.introduction}
          rows={4}
        />
        <h2>Steps</h2>
        <ol class="editor-steps">
          {content.steps.map((step, i) => (
            <li key={i} id={`step-${i}`} class="editor-step">
              <StepFields ctx={ctx} i={i} step={step} />
              <p class="actions">
                <button
                  type="submit"
                  name="action"
                  value={`save:${i}`}
                  data-step-save={`${base}/edit/steps/${i + 1}`}
                >
                  Save step {i + 1}
                </button>{' '}
                <a href={`${base}/edit/steps/${i + 1}`}>Step {i + 1} on its own page</a>{' '}
                {i > 0 ? (
                  <button type="submit" name="action" value={`up:${i}`} class="secondary">
                    Move step {i + 1} up
                  </button>
                ) : null}
                {i < last ? (
                  <button type="submit" name="action" value={`down:${i}`} class="secondary">
                    Move step {i + 1} down
                  </button>
                ) : null}
                {last > 0 ? (
                  <button type="submit" name="action" value={`remove:${i}`} class="secondary">
                    Remove step {i + 1}
                  </button>
                ) : null}
              </p>
            </li>
          ))}
        </ol>
        <p>
          <button type="submit" name="action" value="add" class="secondary">
            Add a step
          </button>
        </p>
        <MarkdownField
          id="conclusion"
          name="conclusion"
          label="Conclusion"
          value={content.conclusion}
          rows={4}
        />
        <p>
          <button type="submit" name="action" value="save">
            Save draft
          </button>
        </p>
      </MultipartForm>
      <section aria-labelledby="publish">
        <h2 id="publish">Publish</h2>
        {isDraft ? (
          <PostForm ctx={ctx} action={`${base}/publish`} label="Publish the draft">
            <p>
              <input type="checkbox" id="changesUsage" name="changesUsage" value="true" />{' '}
              <label for="changesUsage" class="inline-label">
                This changes how the device is used: certified patrons re-read the changed steps
                before their next booking
              </label>
            </p>
            <p>
              <label for="note">What changed (for the history)</label>
              <input id="note" name="note" maxLength={500} class="wide-input" />
            </p>
            <p>
              <button type="submit">Publish the draft</button>
            </p>
          </PostForm>
        ) : (
          <p>Nothing to publish: save a draft first.</p>
        )}
      </section>
      <section aria-labelledby="history">
        <h2 id="history">History</h2>
        {revisions.length ? (
          <div class="table-scroll">
            <table>
              <caption>Published revisions, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Revision</th>
                  <th scope="col">Published</th>
                  <th scope="col">By</th>
                  <th scope="col">Note</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {revisions.map((r) => (
                  <tr key={r.number}>
                    <th scope="row">
                      {r.number}
                      {r.published ? ' (current)' : ''}
                    </th>
                    <td>{ctx.style.dateTime(r.publishedAt, ctx.now)}</td>
                    <td>{r.author ?? 'Imported from files'}</td>
                    <td>
                      {r.note ?? ''}
                      {r.changesUsage ? ' (changes how the device is used)' : ''}
                    </td>
                    <td>
                      {publishedRevision && r.number !== publishedRevision ? (
                        <a href={`${base}/diff?from=${r.number}&to=${publishedRevision}`}>
                          Compare revision {r.number} with the current one
                        </a>
                      ) : null}{' '}
                      <PostForm
                        ctx={ctx}
                        action={`${base}/revisions/${r.number}/restore`}
                        class="inline"
                        label={`Restore revision ${r.number}`}
                      >
                        <button type="submit" class="secondary">
                          Restore revision {r.number} as the draft
                        </button>
                      </PostForm>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>Never published.</p>
        )}
      </section>
    </Layout>
  );
}

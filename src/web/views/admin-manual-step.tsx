import type { ComponentChildren } from 'preact';
import { MAX_STEP_IMAGES, type ManualContent, type StepImage } from '../../manuals/manual-content';
import { renderMarkdown } from '../../manuals/render';
import { CSRF_FIELD } from '../csrf';
import type { PageContext } from './context';
import { CsrfField, Flash, Layout } from './layout';

function Preview({ id, markdown }: { id: string; markdown: string }) {
  return (
    <div class="preview" id={id} dangerouslySetInnerHTML={{ __html: renderMarkdown(markdown) }} />
  );
}

export function MarkdownField({
  id,
  name,
  label,
  value,
  rows,
}: {
  id: string;
  name: string;
  label: string;
  value: string;
  rows: number;
}) {
  return (
    <div class="markdown-field">
      <p>
        <label for={id}>{label}</label>
        <textarea
          id={id}
          name={name}
          rows={rows}
          data-preview={`${id}-preview`}
          aria-describedby={`${id}-hint`}
        >
          {value}
        </textarea>
        <span id={`${id}-hint`} class="hint">
          Markdown. A quote starting with **Caution:**, **Note:** or **Reminder:** becomes a
          callout.
        </span>
      </p>
      <details open>
        <summary>How it looks</summary>
        <Preview id={`${id}-preview`} markdown={value} />
      </details>
    </div>
  );
}

/** A multipart form (so a picture travels with the text typed beside it) carrying the token. */
export function MultipartForm({
  ctx,
  action,
  label,
  class: className,
  children,
}: {
  ctx: PageContext;
  action: string;
  label: string;
  class?: string;
  children: ComponentChildren;
}) {
  // A file upload's fields are read after the form token is checked, so it rides in the query too.
  const url = `${action}?${CSRF_FIELD}=${encodeURIComponent(ctx.csrf)}`;
  return (
    <form
      method="post"
      action={url}
      encType="multipart/form-data"
      class={className}
      aria-label={label}
    >
      <CsrfField ctx={ctx} />
      {children}
    </form>
  );
}

/**
 * A step's pictures: each with its alt text to edit and a remove button, and a new picture whose
 * upload button sends the whole form, so the text typed in the step is saved with it.
 */
function StepPictures({ step, images }: { step: number; images: StepImage[] }) {
  const n = step + 1;
  return (
    <fieldset class="step-pictures">
      <legend>
        Step {n} pictures (up to {MAX_STEP_IMAGES})
      </legend>
      {images.map((image, j) => (
        <div key={image.src} class="step-picture">
          <img src={image.src} alt={image.alt} width={160} />
          <input type="hidden" name={`step-${step}-image-${j}-src`} value={image.src} />
          <p>
            <label for={`step-${step}-image-${j}-alt`}>
              Step {n} picture {j + 1}: what it shows
            </label>
            <input
              id={`step-${step}-image-${j}-alt`}
              name={`step-${step}-image-${j}-alt`}
              value={image.alt}
              required
              maxLength={300}
              class="wide-input"
            />
          </p>
          <button type="submit" name="action" value={`unpic:${step}:${j}`} class="secondary">
            Remove step {n} picture {j + 1}
          </button>
        </div>
      ))}
      {images.length < MAX_STEP_IMAGES ? (
        <div class="step-upload">
          <p>
            <label for={`step-${step}-upload`}>
              New picture for step {n} (PNG, JPEG, WebP or GIF)
            </label>
            <input
              id={`step-${step}-upload`}
              type="file"
              name={`step-${step}-upload`}
              accept="image/png,image/jpeg,image/webp,image/gif"
            />
          </p>
          <p>
            <label for={`step-${step}-upload-alt`}>What the new picture for step {n} shows</label>
            <input
              id={`step-${step}-upload-alt`}
              name={`step-${step}-upload-alt`}
              maxLength={300}
              class="wide-input"
            />
          </p>
          <p>
            <button type="submit" name="action" value={`upload:${step}`} class="secondary">
              Upload the picture to step {n}
            </button>
            <span class="hint"> What you typed in the form is saved with it.</span>
          </p>
        </div>
      ) : null}
    </fieldset>
  );
}

/** The fields of step `i` (0-based), the same in the full editor and on the step's own page. */
export function StepFields({
  ctx,
  i,
  step,
}: {
  ctx: PageContext;
  i: number;
  step: ManualContent['steps'][number];
}) {
  const n = i + 1;
  return (
    <>
      <h3 id={`step-${i}-heading`} tabIndex={-1}>
        Step {n}
      </h3>
      <div class="step-status" data-step-status={i}>
        <Flash ctx={ctx} here={`step-${i}`} />
      </div>
      <p>
        <label for={`step-${i}-title`}>Step {n} title</label>
        <input
          id={`step-${i}-title`}
          name={`step-${i}-title`}
          value={step.title}
          required
          maxLength={200}
          class="wide-input"
        />
      </p>
      <StepPictures step={i} images={step.images} />
      <MarkdownField
        id={`step-${i}-body`}
        name={`step-${i}-body`}
        label={`Step ${n} text`}
        value={step.body}
        rows={6}
      />
    </>
  );
}

/** One step of the draft on a page of its own, with the way to the others. */
export function ManualStepPage({
  ctx,
  slug,
  content,
  n,
}: {
  ctx: PageContext;
  slug: string;
  content: ManualContent;
  n: number;
}) {
  const base = `/admin/manuals/${slug}/edit`;
  const i = n - 1;
  const count = content.steps.length;
  return (
    <Layout ctx={ctx} title={`Step ${n} of ${content.title}`} wide>
      <p class="breadcrumb">
        <a href="/admin/manuals">Walkthroughs</a> › <a href={base}>{content.title}</a> › Step {n}
      </p>
      <h1>
        Step {n} of {count}: “{content.title}”
      </h1>
      <nav aria-label="Steps" class="step-pager">
        <p>
          {n > 1 ? <a href={`${base}/steps/${n - 1}`}>Previous step ({n - 1})</a> : null}{' '}
          {n < count ? <a href={`${base}/steps/${n + 1}`}>Next step ({n + 1})</a> : null}{' '}
          <a href={`${base}#step-${i}`}>The whole walkthrough</a>
        </p>
        <ol class="step-list">
          {content.steps.map((s, j) => (
            <li key={j}>
              {j === i ? (
                <span aria-current="page">{s.title || `Step ${j + 1}`}</span>
              ) : (
                <a href={`${base}/steps/${j + 1}`}>{s.title || `Step ${j + 1}`}</a>
              )}
            </li>
          ))}
        </ol>
      </nav>
      <MultipartForm ctx={ctx} action={`${base}/steps/${n}`} label={`Step ${n}`} class="editor">
        <section id={`step-${i}`} class="editor-step">
          <StepFields ctx={ctx} i={i} step={content.steps[i]} />
        </section>
        <p>
          <button type="submit" name="action" value={`save:${i}`}>
            Save step {n}
          </button>
        </p>
      </MultipartForm>
    </Layout>
  );
}

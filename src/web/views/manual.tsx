import type { ManualResponse, ManualSummaryResponse } from '../../manuals/manual.response';
import type { PageContext } from './context';
import { Layout, PostForm } from './layout';

export const DIFFICULTY_WORDS: Record<string, string> = {
  'very-easy': 'Very easy',
  easy: 'Easy',
  moderate: 'Moderate',
  difficult: 'Difficult',
  'very-difficult': 'Very difficult',
};

function Facts({ manual }: { manual: ManualSummaryResponse }) {
  const { min, max } = manual.estimatedMinutes;
  return (
    <dl class="facts">
      <div>
        <dt>Difficulty</dt>
        <dd>{DIFFICULTY_WORDS[manual.difficulty] ?? manual.difficulty}</dd>
      </div>
      <div>
        <dt>Time</dt>
        <dd>{min === max ? `${min} min` : `${min}–${max} min`}</dd>
      </div>
      {manual.grantsCertification ? (
        <div>
          <dt>Certifies you</dt>
          <dd>Finishing it lets you book the device</dd>
        </div>
      ) : null}
    </dl>
  );
}

export function ManualListPage({
  ctx,
  manuals,
  q,
}: {
  ctx: PageContext;
  manuals: ManualSummaryResponse[];
  q: string;
}) {
  return (
    <Layout ctx={ctx} title="Walkthroughs">
      <h1>Walkthroughs</h1>
      <p class="lede">Step-by-step guides to every device in the lab.</p>
      <form method="get" action="/manuals" role="search" aria-label="Search the walkthroughs">
        <label for="q">Search titles and steps</label>
        <input id="q" name="q" type="search" value={q} maxLength={200} />
        <button type="submit">Search</button>
      </form>
      <h2 id="found">{q ? `${manuals.length} found` : 'All walkthroughs'}</h2>
      <ul class="cards" aria-labelledby="found">
        {manuals.map((m) => (
          <li key={m.slug} class="card">
            <h3>
              <a href={`/manuals/${m.slug}`}>{m.title}</a>
            </h3>
            <p>{m.summary}</p>
            <Facts manual={m} />
          </li>
        ))}
      </ul>
    </Layout>
  );
}

/** The bits every view of a manual shares: author-written HTML, already sanitised when rendered. */
function Html({ html, class: className }: { html: string; class?: string }) {
  return <div class={className} dangerouslySetInnerHTML={{ __html: html }} />;
}

/** A step's pictures, each with the alt text its librarian wrote. */
function Pictures({ images }: { images: { src: string; alt: string }[] }) {
  if (!images.length) return null;
  return (
    <div class="step-pictures">
      {images.map((image) => (
        <img key={image.src} src={image.src} alt={image.alt} loading="lazy" />
      ))}
    </div>
  );
}

export function ManualPage({
  ctx,
  manual,
  step,
  reached,
}: {
  ctx: PageContext;
  manual: ManualResponse;
  /** 0: the overview; 1…n a step. */
  step: number;
  reached: number;
}) {
  const total = manual.steps.length;
  const base = `/manuals/${manual.slug}`;
  const patron = ctx.user?.role === 'patron';
  const current = step > 0 ? manual.steps[step - 1] : null;
  return (
    <Layout ctx={ctx} title={current ? `${manual.title}: step ${step}` : manual.title}>
      <p class="breadcrumb">
        <a href="/manuals">Walkthroughs</a> › {manual.title}
      </p>
      <h1>{manual.title}</h1>
      {current === null ? (
        <>
          <p class="lede">{manual.summary}</p>
          <Facts manual={manual} />
          {manual.bring.length ? (
            <section aria-labelledby="bring">
              <h2 id="bring">What to bring</h2>
              <ul>
                {manual.bring.map((b) => (
                  <li key={b}>{b}</li>
                ))}
              </ul>
            </section>
          ) : null}
          {manual.prerequisites.length ? (
            <section aria-labelledby="first">
              <h2 id="first">Read first</h2>
              <ul>
                {manual.prerequisites.map((p) => (
                  <li key={p}>
                    <a href={`/manuals/${p}`}>{p}</a>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <section aria-labelledby="intro">
            <h2 id="intro">Before you start</h2>
            <Html html={manual.introductionHtml} />
          </section>
          <section aria-labelledby="steps">
            <h2 id="steps">The steps</h2>
            {reached > 0 ? (
              <p role="note">
                You have reached step {reached} of {total}
                {reached === total ? ' — finished.' : '.'}
              </p>
            ) : null}
            <ol>
              {manual.steps.map((s) => (
                <li key={s.number}>
                  <a href={`${base}?step=${s.number}`}>{s.title}</a>
                  {s.number <= reached ? <span class="done"> (done)</span> : null}
                </li>
              ))}
            </ol>
            <p>
              <a
                class="button"
                href={`${base}?step=${reached > 0 && reached < total ? reached + 1 : 1}`}
              >
                {reached > 0 && reached < total
                  ? `Go on with step ${reached + 1}`
                  : 'Start at step 1'}
              </a>{' '}
              <a href={`${base}/print`}>Printable version</a>
            </p>
          </section>
        </>
      ) : (
        <article aria-labelledby="step-title">
          <p class="progress">
            Step {step} of {total}
          </p>
          <progress max={total} value={step} aria-label={`Step ${step} of ${total}`}>
            {step} of {total}
          </progress>
          <h2 id="step-title">
            {step}. {current.title}
          </h2>
          <Pictures images={current.images} />
          <Html html={current.html} class="step-body" />
          <nav class="step-nav" aria-label="Steps">
            {step > 1 ? (
              <a href={`${base}?step=${step - 1}`}>← Step {step - 1}</a>
            ) : (
              <a href={base}>← Overview</a>
            )}
            {patron && step > reached + 1 ? (
              <p role="note" class="inline">
                Steps are done one at a time: you have not done step {reached + 1} yet.{' '}
                <a class="button" href={`${base}?step=${reached + 1}`}>
                  Go to step {reached + 1}
                </a>
              </p>
            ) : patron ? (
              <PostForm
                ctx={ctx}
                action={`${base}/progress`}
                class="inline"
                label="Mark this step done"
              >
                <input type="hidden" name="step" value={String(step)} />
                <button type="submit">
                  {step < total ? `Done: go to step ${step + 1}` : 'Done: finish the walkthrough'}
                </button>
              </PostForm>
            ) : step < total ? (
              <a class="button" href={`${base}?step=${step + 1}`}>
                Step {step + 1} →
              </a>
            ) : (
              <a class="button" href={base}>
                Finish
              </a>
            )}
          </nav>
          {step === total ? (
            <section aria-labelledby="after">
              <h2 id="after">When you are done</h2>
              <Html html={manual.conclusionHtml} />
            </section>
          ) : null}
        </article>
      )}
    </Layout>
  );
}

export function ManualPrintPage({ ctx, manual }: { ctx: PageContext; manual: ManualResponse }) {
  return (
    <Layout ctx={ctx} title={`${manual.title} (print)`}>
      <article class="print-manual">
        <header class="print-head">
          <div>
            <h1>{manual.title}</h1>
            <p>{manual.summary}</p>
            <Facts manual={manual} />
          </div>
          <figure class="qr">
            <img
              src={`/api/manuals/${manual.slug}/qr.svg`}
              width={120}
              height={120}
              alt={`QR code linking to ${manual.url}`}
            />
            <figcaption>{manual.url}</figcaption>
          </figure>
        </header>
        {manual.bring.length ? (
          <p>
            <strong>Bring:</strong> {manual.bring.join(', ')}
          </p>
        ) : null}
        <Html html={manual.introductionHtml} />
        <ol class="print-steps">
          {manual.steps.map((s) => (
            <li key={s.number}>
              <h2>{s.title}</h2>
              <Pictures images={s.images} />
              <Html html={s.html} />
            </li>
          ))}
        </ol>
        <Html html={manual.conclusionHtml} />
        <p class="no-print">
          <button type="button" data-print>
            Print this page
          </button>{' '}
          <a href={`/manuals/${manual.slug}`}>Back to the step-by-step view</a>
        </p>
      </article>
    </Layout>
  );
}

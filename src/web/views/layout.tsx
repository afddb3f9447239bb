import type { ComponentChildren } from 'preact';
import { CSRF_FIELD } from '../csrf';
import { isLibrarian, isStaff, PageContext } from './context';

export function CsrfField({ ctx }: { ctx: PageContext }) {
  return <input type="hidden" name={CSRF_FIELD} value={ctx.csrf} />;
}

/** A library card number field: digits only, 6 to 20 of them, with the numeric keypad on phones. */
export function CardNumberInput({
  id,
  name = 'cardNumber',
  value,
  autoComplete = 'off',
  describedBy,
}: {
  id: string;
  name?: string;
  value?: string;
  autoComplete?: string;
  describedBy?: string;
}) {
  return (
    <input
      id={id}
      name={name}
      value={value}
      inputMode="numeric"
      autoComplete={autoComplete}
      pattern="[0-9]{6,20}"
      aria-describedby={describedBy}
      required
    />
  );
}

/** A form that changes something: always a POST carrying the form token. */
export function PostForm({
  ctx,
  action,
  children,
  class: className,
  label,
}: {
  ctx: PageContext;
  action: string;
  children: ComponentChildren;
  class?: string;
  label?: string;
}) {
  return (
    <form method="post" action={action} class={className} aria-label={label}>
      <CsrfField ctx={ctx} />
      {children}
    </form>
  );
}

function Nav({ ctx }: { ctx: PageContext }) {
  const links: [string, string][] = [
    ['/', 'Equipment'],
    ['/schedule', 'Schedule'],
    ['/manuals', 'Walkthroughs'],
  ];
  if (ctx.user?.role === 'patron') links.push(['/my/bookings', 'My bookings']);
  if (isStaff(ctx)) links.push(['/desk', 'Desk'], ['/reports', 'Reports']);
  if (isLibrarian(ctx))
    links.push(
      ['/admin/equipment', 'Equipment admin'],
      ['/admin/hours', 'Hours'],
      ['/admin/manuals', 'Manual editor'],
      ['/admin/staff', 'Staff accounts'],
    );
  if (ctx.user) links.push(['/account', 'Your account']);
  const here = ctx.path.split('?')[0];
  return (
    <nav aria-label="Main">
      <ul>
        {links.map(([href, label]) => (
          <li key={href}>
            <a href={href} aria-current={here === href ? 'page' : undefined}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Account({ ctx }: { ctx: PageContext }) {
  if (!ctx.user)
    return (
      <p class="account">
        <a href={`/login?next=${encodeURIComponent(ctx.path)}`}>Sign in</a>
        {!ctx.patronsFromIls && <a href="/register">Register</a>}
      </p>
    );
  return (
    <PostForm ctx={ctx} action="/logout" class="account" label="Account">
      <span>
        Signed in as <a href="/account">{ctx.user.name}</a>
      </span>{' '}
      <button type="submit">Sign out</button>
    </PostForm>
  );
}

/** The message left by the last form: success is announced politely, a refusal at once. */
export function Flash({ ctx, here }: { ctx: PageContext; here?: string }) {
  // A message about one part of the page is shown beside that part, not at the top.
  if ((ctx.flash?.at ?? undefined) !== here) return null;
  if (!ctx.flash) return <div role="status" class="flash-empty"></div>;
  if (ctx.flash.kind === 'error')
    return (
      <div role="alert" class="flash flash-error">
        <strong>Not done: </strong>
        {ctx.flash.text}
      </div>
    );
  if (ctx.flash.kind === 'notice')
    return (
      <div role="status" class="flash flash-notice">
        {ctx.flash.text}
      </div>
    );
  return (
    <div role="status" class="flash flash-success">
      <strong>Done: </strong>
      {ctx.flash.text}
    </div>
  );
}

export function Layout({
  ctx,
  title,
  children,
  wide,
}: {
  ctx: PageContext;
  title: string;
  children: ComponentChildren;
  wide?: boolean;
}) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="csrf-token" content={ctx.csrf} />
        <title>{`${title} · Digital Media Lab`}</title>
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/site.css" />
        <script src="/assets/app.js" defer></script>
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <p class="brand">
            <a href="/">Digital Media Lab</a>
          </p>
          <Nav ctx={ctx} />
          <Account ctx={ctx} />
        </header>
        <main id="main" tabIndex={-1} class={wide ? 'wide' : undefined}>
          <Flash ctx={ctx} />
          {children}
        </main>
        <footer class="site-footer">
          <p>
            Digital Media Lab, in the library. <a href="/api/docs">API</a>
          </p>
        </footer>
      </body>
    </html>
  );
}

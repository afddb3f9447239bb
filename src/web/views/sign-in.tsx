import { keptValues, type PageContext } from './context';
import { CardNumberInput, Layout, PostForm } from './layout';

export function SignInPage({
  ctx,
  next,
  throughIls = false,
}: {
  ctx: PageContext;
  next: string;
  /** Cards are checked by the library's ILS: no registration, and the PIN is the catalog's. */
  throughIls?: boolean;
}) {
  // The card number or e-mail typed before a refusal comes back; the PIN or password never does.
  const kept = keptValues(ctx, '/login') ?? {};
  return (
    <Layout ctx={ctx} title="Sign in">
      <h1>Sign in</h1>
      <div class="columns">
        <section aria-labelledby="patron-sign-in">
          <h2 id="patron-sign-in">Patrons: your library card</h2>
          <PostForm ctx={ctx} action="/login" label="Sign in with your library card">
            <input type="hidden" name="next" value={next} />
            <p>
              <label for="cardNumber">Library card number</label>
              <CardNumberInput
                id="cardNumber"
                autoComplete="username"
                describedBy="card-hint"
                value={kept.cardNumber}
              />
              <span id="card-hint" class="hint">
                The digits under the barcode, 6 to 20 of them.
              </span>
            </p>
            <p>
              <label for="pin">PIN</label>
              <input id="pin" name="pin" type="password" autoComplete="current-password" required />
            </p>
            <p>
              <button type="submit">Sign in</button>
            </p>
          </PostForm>
          {throughIls ? (
            <p>
              Use the card number and PIN you use for the library's catalog. No card yet, or forgot
              your PIN? Ask at the desk.
            </p>
          ) : (
            <>
              <p>
                New to the lab? <a href="/register">Register with your library card</a>.
              </p>
              <p>
                <a href="/reset">Forgot your PIN?</a>
              </p>
            </>
          )}
        </section>
        <section aria-labelledby="staff-sign-in">
          <h2 id="staff-sign-in">Library staff</h2>
          <PostForm ctx={ctx} action="/login" label="Staff sign-in">
            <input type="hidden" name="next" value={next} />
            <p>
              <label for="email">E-mail</label>
              <input
                id="email"
                name="email"
                type="email"
                autoComplete="username"
                value={kept.email}
                required
              />
            </p>
            <p>
              <label for="password">Password</label>
              <input
                id="password"
                name="password"
                type="password"
                autoComplete="current-password"
                required
              />
            </p>
            <p>
              <button type="submit">Sign in as staff</button>
            </p>
          </PostForm>
          <p>
            <a href="/reset">Forgot your password?</a>
          </p>
        </section>
      </div>
    </Layout>
  );
}

export function RegisterPage({
  ctx,
  throughIls = false,
}: {
  ctx: PageContext;
  throughIls?: boolean;
}) {
  if (throughIls)
    return (
      <Layout ctx={ctx} title="Register">
        <h1>No need to register</h1>
        <p>
          The lab knows every library card: <a href="/login">sign in with your library card</a>{' '}
          number and the PIN you use for the catalog. No card yet? Ask at the desk.
        </p>
      </Layout>
    );
  const kept = keptValues(ctx, '/register') ?? {};
  return (
    <Layout ctx={ctx} title="Register">
      <h1>Register for the lab</h1>
      <p>You need a library card. Your PIN is the one you use for the catalog.</p>
      <PostForm ctx={ctx} action="/register" label="Register">
        <p>
          <label for="name">Your name</label>
          <input
            id="name"
            name="name"
            autoComplete="name"
            maxLength={120}
            value={kept.name}
            required
          />
        </p>
        <p>
          <label for="email">E-mail</label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="email"
            aria-describedby="email-hint"
            value={kept.email}
            required
          />
          <span id="email-hint" class="hint">
            For booking confirmations and reminders.
          </span>
        </p>
        <p>
          <label for="cardNumber">Library card number</label>
          <CardNumberInput id="cardNumber" value={kept.cardNumber} />
        </p>
        <p>
          <label for="pin">PIN</label>
          <input id="pin" name="pin" type="password" autoComplete="new-password" required />
        </p>
        <p>
          <label for="birthDate">Date of birth</label>
          <input
            id="birthDate"
            name="birthDate"
            type="date"
            aria-describedby="birth-hint"
            value={kept.birthDate}
            required
          />
          <span id="birth-hint" class="hint">
            Some devices have a minimum age.
          </span>
        </p>
        <p>
          <button type="submit">Register</button>
        </p>
      </PostForm>
    </Layout>
  );
}

import type { BookingPolicy } from '../../equipment/policy';

/**
 * The device's booking questions and terms as form fields (`answer.<id>`, `acceptTerms`), inside
 * the booking form, so the browser asks for what is required before any time is chosen.
 */
export function BookingQuestions({
  policy,
  kept,
}: {
  policy: BookingPolicy;
  /** The answers of a refused booking, to show again. */
  kept?: Record<string, string> | null;
}) {
  const questions = policy.questions ?? [];
  const terms = policy.terms?.trim();
  if (!questions.length && !terms) return null;
  return (
    <fieldset class="booking-questions">
      <legend>Before you book</legend>
      {questions.map((q) => {
        const id = `answer-${q.id}`;
        const name = `answer.${q.id}`;
        const label = (
          <label for={id}>
            {q.label}
            {q.required ? '' : ' (optional)'}
          </label>
        );
        if (q.type === 'choice' || q.type === 'yes-no') {
          const options =
            q.type === 'choice'
              ? (q.options ?? []).map((o) => [o, o])
              : [
                  ['yes', 'Yes'],
                  ['no', 'No'],
                ];
          return (
            <p key={q.id}>
              {label}
              <select id={id} name={name} required={q.required}>
                <option value="">Choose…</option>
                {options.map(([value, words]) => (
                  <option key={value} value={value} selected={kept?.[name] === value}>
                    {words}
                  </option>
                ))}
              </select>
            </p>
          );
        }
        return (
          <p key={q.id}>
            {label}
            <input
              id={id}
              name={name}
              type={q.type === 'number' ? 'number' : 'text'}
              step={q.type === 'number' ? 'any' : undefined}
              maxLength={q.type === 'text' ? 2000 : undefined}
              required={q.required}
              class="wide-input"
              value={kept?.[name]}
            />
          </p>
        );
      })}
      {terms ? (
        <>
          <p class="terms">{terms}</p>
          <p>
            <input
              id="accept-terms"
              name="acceptTerms"
              type="checkbox"
              value="yes"
              checked={kept?.acceptTerms === 'yes'}
              required
            />{' '}
            <label for="accept-terms" class="inline-label">
              I have read and accept these terms
            </label>
          </p>
        </>
      ) : null}
    </fieldset>
  );
}

/** The answers and the terms' tick from a posted booking form, as the API takes them. */
export function answersFrom(body: unknown): {
  answers?: Record<string, string>;
  acceptTerms?: boolean;
} {
  const fields = (body ?? {}) as Record<string, unknown>;
  const answers: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields))
    if (name.startsWith('answer.') && typeof value === 'string' && value.trim() !== '')
      answers[name.slice('answer.'.length)] = value;
  return {
    ...(Object.keys(answers).length ? { answers } : {}),
    ...(fields.acceptTerms === 'yes' ? { acceptTerms: true } : {}),
  };
}

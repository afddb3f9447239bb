import type { Slot } from '../../bookings/availability';
import { FORM_KEY_FIELD } from '../booking-form';
import type { BookingPolicy } from '../../equipment/policy';
import { keptValues, type PageContext } from './context';
import { minutesLabel } from './format';
import { BookingQuestions } from './booking-questions';
import { PostForm } from './layout';

/** The lengths the desk offers for a station booking made for a patron (walk-ins, series, moves). */
export const DESK_LENGTHS = [30, 60, 90, 120, 180, 240];

/** The options of a "How long" select, `chosen` selected, each written as people say it. */
export function LengthOptions({ lengths, chosen }: { lengths: number[]; chosen: number }) {
  return (
    <>
      {lengths.map((m) => (
        <option key={m} value={String(m)} selected={m === chosen}>
          {minutesLabel(m)}
        </option>
      ))}
    </>
  );
}

/** The lengths a booking may have: from the shortest to the longest, on the device's grid. */
export function bookingLengths(policy: BookingPolicy): number[] {
  const lengths: number[] = [];
  for (let m = policy.minMinutes; m <= policy.maxMinutes; m += policy.slotMinutes) lengths.push(m);
  return lengths.length ? lengths : [policy.slotMinutes];
}

/**
 * A length to choose and the free start times as buttons (a list, not a color grid): one press
 * books or moves, with or without JavaScript, by mouse or keyboard.
 */
export function TimePicker({
  ctx,
  action,
  label,
  date,
  free,
  policy,
  length,
  legend,
  buttonHint,
  formKey,
  ask,
}: {
  ctx: PageContext;
  action: string;
  label: string;
  date: string;
  free: Slot[];
  policy: BookingPolicy;
  length: number;
  legend: string;
  buttonHint: string;
  /** A booking form's one-time key, so a double submit books once. */
  formKey?: string;
  /** Ask the device's booking questions and terms (a new booking, not a move). */
  ask?: boolean;
}) {
  // A refused booking comes back with the length and answers the patron chose.
  const kept = keptValues(ctx, action);
  const chosen = Number(kept?.minutes) || length;
  return (
    <PostForm ctx={ctx} action={action} label={label}>
      <input type="hidden" name="date" value={date} />
      {formKey ? <input type="hidden" name={FORM_KEY_FIELD} value={formKey} /> : null}
      <p>
        <label for="minutes">How long</label>
        <select id="minutes" name="minutes">
          <LengthOptions lengths={bookingLengths(policy)} chosen={chosen} />
        </select>
      </p>
      {ask ? <BookingQuestions policy={policy} kept={kept} /> : null}
      <fieldset>
        <legend>{legend}</legend>
        <ul class="times">
          {free.map((s) => (
            <li key={s.start.toISOString()}>
              <button type="submit" name="start" value={s.start.toISOString()}>
                {ctx.style.time(s.start)}
                <span class="visually-hidden"> — {buttonHint}</span>
              </button>
            </li>
          ))}
        </ul>
      </fieldset>
    </PostForm>
  );
}

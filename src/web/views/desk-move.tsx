import type { BookingWithParties } from '../../bookings/booking-notifier';
import type { Equipment } from '../../equipment/equipment.entity';
import type { PageContext } from './context';
import { agendaUrl } from './desk-agenda';
import { whenLabel } from './format';
import { Layout, PostForm } from './layout';
import { DESK_LENGTHS, LengthOptions } from './time-picker';

/** What the move form shows: the booking as it is, or what the desk typed before a refusal. */
export interface MoveFields {
  /** A station's new start, `YYYY-MM-DDTHH:mm`, and its length in minutes. */
  start: string;
  minutes: string;
  /** A kit's pick-up and return days. */
  from: string;
  to: string;
  equipment: string;
}

/** The desk's lengths, and the booking's own when it is none of them. */
function lengthsWith(typed: string): number[] {
  const own = /^\d+$/.test(typed) && Number(typed) > 0 ? [Number(typed)] : [];
  return [...new Set([...DESK_LENGTHS, ...own])].sort((x, y) => x - y);
}

function StationFields({ typed }: { typed: MoveFields }) {
  return (
    <>
      <p>
        <label for="move-start">New start</label>
        <input id="move-start" name="start" type="datetime-local" required value={typed.start} />
      </p>
      <p>
        <label for="move-minutes">How long</label>
        <select id="move-minutes" name="minutes">
          <LengthOptions lengths={lengthsWith(typed.minutes)} chosen={Number(typed.minutes)} />
        </select>
      </p>
    </>
  );
}

function KitFields({ typed }: { typed: MoveFields }) {
  return (
    <>
      <p>
        <label for="move-from">Pick-up day</label>
        <input id="move-from" name="from" type="date" required value={typed.from} />
      </p>
      <p>
        <label for="move-to">Return day</label>
        <input id="move-to" name="to" type="date" required value={typed.to} />
      </p>
    </>
  );
}

/** Move a patron's booking to another time, or to another device of the same kind. */
export function DeskMovePage({
  ctx,
  booking,
  devices,
  typed,
  date,
}: {
  ctx: PageContext;
  booking: BookingWithParties;
  devices: Equipment[];
  typed: MoveFields;
  /** The agenda day to go back to. */
  date: string;
}) {
  const title = `Move ${booking.patron.name}’s booking`;
  return (
    <Layout ctx={ctx} title={title}>
      <p class="breadcrumb">
        <a href={agendaUrl(date)}>Desk</a> › Move a booking
      </p>
      <h1>{title}</h1>
      <p>
        Now: {booking.equipment.name}, {whenLabel(booking, ctx.style, ctx.now)} (code{' '}
        <span class="code">{booking.code}</span>). It stays as it is until the move is done; the
        patron is e-mailed the new time.
      </p>
      <PostForm ctx={ctx} action={`/desk/bookings/${booking.id}/move`} label="Move the booking">
        <input type="hidden" name="date" value={date} />
        {booking.equipment.kind === 'loan' ? (
          <KitFields typed={typed} />
        ) : (
          <StationFields typed={typed} />
        )}
        <p>
          <label for="move-device">Device</label>
          <select id="move-device" name="equipment">
            {devices.map((d) => (
              <option key={d.slug} value={d.slug} selected={d.slug === typed.equipment}>
                {d.name}
                {d.status === 'out_of_service' ? ' (out of service)' : ''}
              </option>
            ))}
          </select>
        </p>
        <p>
          <button type="submit">Move the booking</button> <a href={agendaUrl(date)}>Keep it</a>
        </p>
      </PostForm>
    </Layout>
  );
}

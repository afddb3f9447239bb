import fc from 'fast-check';
import type { Response, Test } from 'supertest';
import type { BookingEvent } from '../src/bookings/lifecycle';

/*
 * What the property tests share: how an answer is compared with the model's expectation, and how
 * the random runs are driven, reported and checked for having reached every event.
 */

/** An answer as the model predicts it: the status and the refusal's code, if any. */
export interface Outcome {
  status: number;
  code: string | null;
}

export const WRONG_STATUS: Outcome = { status: 409, code: 'WRONG_STATUS' };

/** Success, or the refusal the model found: a clash is a conflict, any other rule a 422. */
export function expectedOutcome(refusal: string | null, success: number): Outcome {
  if (refusal === null) return { status: success, code: null };
  return { status: refusal === 'SLOT_TAKEN' ? 409 : 422, code: refusal };
}

export function outcomeOf(response: Response): Outcome {
  const code = response.status < 300 ? null : (response.body.code as string | undefined);
  return { status: response.status, code: code ?? null };
}

/** The answer as a step's line shows it: `201`, `409 SLOT_TAKEN`. */
export function answerOf(response: Response): string {
  const { code } = outcomeOf(response);
  return `${response.status}${code ? ` ${code}` : ''}`;
}

/** Every request of the runs goes through here: a 5xx is a failure whatever was expected. */
export async function send(label: string, request: Test): Promise<Response> {
  const response = await request;
  if (response.status >= 500)
    throw new Error(`${label} answered ${response.status}: ${response.text}`);
  return response;
}

/** How often each lifecycle event happened over all the runs of one test. */
export type Tally = Map<BookingEvent, number>;

export function count(tally: Tally, event: BookingEvent): void {
  tally.set(event, (tally.get(event) ?? 0) + 1);
}

export interface ModelRuns<World, Command> {
  command: fc.Arbitrary<Command>;
  /** Run first, before the random sequences: a fixed one that reaches every event. */
  example: Command[];
  fresh: () => Promise<World>;
  perform: (world: World, command: Command, log: string[]) => Promise<void>;
  verify: (world: World) => Promise<void>;
  /** Puts away what a run left, so that later runs start clean. */
  release: (world: World) => Promise<void>;
  runs: number;
  /**
   * How long the random runs may go on after the fixed example: on a busy machine fewer of them
   * run, and the test still passes on the ones that did (a slow machine is no bug). The example
   * always runs, and `expectEveryEvent` still asks that every event was reached.
   */
  timeLimitMs: number;
}

/**
 * Random sequences of commands against a fresh world each, checked after every step. A failure
 * carries the steps that led to it, shrunk as far as the time allows. `FC_SEED` replays the runs
 * of a reported seed, `FC_RUNS` asks for more (or fewer), `DEBUG_STEPS` prints every run.
 */
export async function checkModelRuns<World, Command>(m: ModelRuns<World, Command>): Promise<void> {
  await fc.assert(
    fc.asyncProperty(
      fc.array(m.command, { minLength: 1, maxLength: 25, size: 'max' }),
      async (commands) => {
        const world = await m.fresh();
        const log: string[] = [];
        try {
          await m.verify(world);
          for (const c of commands) {
            await m.perform(world, c, log);
            await m.verify(world);
          }
        } catch (error) {
          if (error instanceof Error)
            error.message = `${error.message}\n\nSteps, the last one failing:\n${log.join('\n')}`;
          throw error;
        } finally {
          if (process.env.DEBUG_STEPS) console.log(log.join('\n'));
          await m.release(world);
        }
      },
    ),
    {
      ...propertyOptions(m.runs, m.example),
      interruptAfterTimeLimit: m.timeLimitMs,
      markInterruptAsFailure: false,
    },
  );
}

/**
 * fast-check's options for a property of one argument: `runs` runs (`FC_RUNS` to change),
 * `FC_SEED` to replay a reported seed, and `example` always tried first.
 */
export function propertyOptions<T>(runs: number, example: T) {
  return {
    numRuns: Number(process.env.FC_RUNS ?? runs),
    seed: process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED),
    examples: [[example]] as [T][],
  };
}

/** The runs reached every one of `events`, so each was checked. */
export function expectEveryEvent(tally: Tally, events: BookingEvent[]): void {
  const missed = events.filter((e) => !tally.has(e));
  expect({ missed, happened: Object.fromEntries(tally) }).toEqual({
    missed: [],
    happened: expect.any(Object),
  });
}

import { DatabaseState } from './database-health.service';

export class HealthResponse {
  status: 'ok' | 'error';
  /** `up`, or what is wrong: `down`, `read-only`, `full` (no room to write), `stuck` (writes hang). */
  db: DatabaseState;
  message?: string;
}

import { EntityManager } from 'typeorm';
import { Session } from './session.entity';

/**
 * Ends every live session of the user in the caller's transaction, except `keep` (the session that
 * just changed its own secret): a new secret, or a switched-off account, signs everyone else out.
 */
export async function endSessions(
  manager: EntityManager,
  userId: string,
  now: Date,
  keep?: string,
): Promise<void> {
  const query = manager
    .createQueryBuilder()
    .update(Session)
    .set({ revokedAt: now })
    .where('user_id = :userId AND revoked_at IS NULL', { userId });
  if (keep) query.andWhere('id <> :keep', { keep });
  await query.execute();
}

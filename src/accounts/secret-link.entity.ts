import { randomUUID } from 'node:crypto';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../database/instant';

/**
 * `reset`: a forgotten PIN or password (30 minutes); `welcome`: a new staff account's first
 * password; `verify`: a self-registered patron confirming their e-mail address.
 */
export type SecretLinkPurpose = 'reset' | 'welcome' | 'verify';

/**
 * A single-use link that sets a PIN or password. Only the SHA-256 of its token is kept, like a
 * session's, so a leaked table resets nobody's secret.
 */
@Entity('secret_links')
export class SecretLink {
  @PrimaryColumn('uuid')
  id: string = randomUUID();

  @Column('varchar', { name: 'token_hash', length: 64, unique: true })
  tokenHash: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('varchar', { length: 16 })
  purpose: SecretLinkPurpose;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;

  @InstantColumn({ name: 'expires_at' })
  expiresAt: Date;

  @InstantColumn({ name: 'used_at', nullable: true })
  usedAt: Date | null;
}

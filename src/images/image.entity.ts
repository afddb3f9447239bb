import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn, ON_POSTGRES } from '../database/instant';

/**
 * An uploaded image, kept in the database so that every instance serves every upload whatever
 * its `DATA_DIR`. Named by the SHA-256 of its bytes: the same image uploaded twice is one row.
 */
@Entity('images')
export class Image {
  /** `<sha256>.<ext>`, as it appears in `/api/images/<name>`. */
  @PrimaryColumn('varchar', { length: 72 })
  name: string;

  @Column('varchar', { name: 'content_type', length: 20 })
  contentType: string;

  @Column(ON_POSTGRES ? 'bytea' : 'blob')
  bytes: Buffer;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;
}

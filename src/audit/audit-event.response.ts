import { ApiProperty } from '@nestjs/swagger';

export class AuditEventResponse {
  at: string;
  actor: string;
  action: string;
  subjectType: string;
  subject: string;
  /** What changed, as names and plain values. */
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: {
      oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }],
      nullable: true,
    },
  })
  details: Record<string, string | number | boolean | null> | null;
}

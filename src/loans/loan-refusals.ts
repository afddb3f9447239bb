import {
  BadRequestException,
  ConflictException,
  UnprocessableEntityException,
} from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Equipment } from '../equipment/equipment.entity';

/** A kit out of service (back damaged or incomplete, say) is not handed over, reservation or not. */
export async function refuseIfOutOfService(manager: EntityManager, kit: Equipment): Promise<void> {
  const current = await manager.findOneByOrFail(Equipment, { id: kit.id });
  if (current.status === 'available') return;
  throw new UnprocessableEntityException({
    code: 'EQUIPMENT_UNAVAILABLE',
    message:
      current.status === 'retired'
        ? `${kit.name} has been retired and can no longer be lent.`
        : `${kit.name} is out of service for now and cannot be handed over. Once staff have checked it and set it back to available, it can go out again.`,
  });
}

/** Refuses part names that are not on the kit's checklist, naming the field and the right names. */
export function refuseUnknownParts(
  field: string,
  named: string[],
  parts: string[],
  kit: string,
): void {
  const unknown = named.filter((p) => !parts.includes(p));
  if (unknown.length === 0) return;
  const list = parts.length ? `its parts are: ${parts.join('; ')}` : 'it has no parts list';
  throw new BadRequestException(
    `${field} names ${unknown.map((p) => `"${p}"`).join(', ')}, which ${unknown.length === 1 ? 'is' : 'are'} not part of ${kit}; ${list}`,
  );
}

export function notOut(message: string): ConflictException {
  return new ConflictException({ code: 'WRONG_STATUS', message });
}

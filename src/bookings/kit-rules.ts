import type { EquipmentKind } from '../equipment/equipment.entity';

/** What the general desk does to a booking; a loan kit goes through the loan desk instead. */
export type DeskEvent = 'check_in' | 'complete';

export interface KitRefusal {
  code: 'USE_THE_LOAN_DESK';
  message: string;
}

const LOAN_DESK =
  'at the loan desk (/desk/loans), with its asset tag, parts checklist and condition';

/**
 * A loan kit changes hands only at the loan desk: checking it in or finishing it at the general
 * desk would hand it over or take it back with no asset tag, no parts checklist and no condition.
 */
export function kitAtTheLoanDeskOnly(
  device: { name: string; kind: EquipmentKind },
  event: DeskEvent,
): KitRefusal | null {
  if (device.kind !== 'loan') return null;
  const verb = event === 'check_in' ? 'Hand it over' : 'Take it back';
  return {
    code: 'USE_THE_LOAN_DESK',
    message: `${device.name} is a loan kit. ${verb} ${LOAN_DESK}.`,
  };
}

/** A scanned card checks in stations only; when only kits are due, the desk is told where to go. */
export function onlyKitsDue(patronName: string, kitsDue: number): KitRefusal {
  const what = kitsDue === 1 ? 'only a loan kit due' : `only ${kitsDue} loan kits due`;
  return {
    code: 'USE_THE_LOAN_DESK',
    message: `${patronName} has ${what} today, and no station booking to check in. Hand kits over ${LOAN_DESK}.`,
  };
}

import type { Equipment } from '../equipment/equipment.entity';
import { EquipmentResponse, toEquipmentResponse } from '../equipment/equipment.response';
import type { EquipmentService } from '../equipment/equipment.service';

/** Devices as the API shows them, each with its walkthrough links, for the pages. */
export async function equipmentResponses(
  equipment: EquipmentService,
  devices: Equipment[],
  zone: string,
): Promise<EquipmentResponse[]> {
  const manuals = await equipment.manualLinks(devices.map((d) => d.id));
  return devices.map((d) => toEquipmentResponse(d, zone, manuals.get(d.id)));
}

import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Area, MAIN_AREA } from './area.entity';

@Injectable()
export class AreasService {
  constructor(@InjectRepository(Area) private readonly areas: Repository<Area>) {}

  list(manager?: EntityManager): Promise<Area[]> {
    return (manager?.getRepository(Area) ?? this.areas).find({
      order: { position: 'ASC', name: 'ASC' },
    });
  }

  /** The area with that slug; a 400 naming the known ones if there is none. */
  async get(slug: string = MAIN_AREA, manager?: EntityManager): Promise<Area> {
    const area = await (manager?.getRepository(Area) ?? this.areas).findOneBy({ slug });
    if (area) return area;
    const known = (await this.list(manager)).map((a) => a.slug).join(', ');
    throw new BadRequestException(`area must be one of: ${known}`);
  }

  /** Adds the areas not there yet (seeding); returns how many were added. */
  async addMissing(
    manager: EntityManager,
    areas: Omit<Area, 'id' | 'position'>[],
  ): Promise<number> {
    let added = 0;
    for (const [index, area] of areas.entries()) {
      if (await manager.existsBy(Area, { slug: area.slug })) continue;
      await manager.insert(Area, { ...new Area(), ...area, position: index });
      added++;
    }
    return added;
  }
}

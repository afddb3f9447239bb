import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../common/decorators/auth.decorators';
import { AreaResponse, toAreaResponse } from './area.response';
import { AreasService } from './areas.service';

@ApiTags('areas')
@Controller('api/areas')
export class AreasController {
  constructor(private readonly areas: AreasService) {}

  /** The parts of the library with their own desk, hours and closures. */
  @Public()
  @Get()
  async list(): Promise<AreaResponse[]> {
    return (await this.areas.list()).map(toAreaResponse);
  }
}

import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HUB_STATUS_SCHEMA } from '@ces/server-kit';
import { StatusService } from './status.service';

@ApiTags('status')
@ApiBearerAuth()
@Controller('status')
export class StatusController {
  constructor(private readonly statusService: StatusService) {}

  @Get()
  @ApiOperation({
    summary: 'The hub’s state',
    description: 'Peers by kind, rooms, groups, links, backlogs and counters.',
  })
  @ApiOkResponse({ description: 'the status document', schema: HUB_STATUS_SCHEMA })
  status() {
    return this.statusService.status();
  }
}

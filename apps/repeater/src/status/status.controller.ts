import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { REPEATER_STATUS_SCHEMA } from '../dashboard/api-schemas';
import { StatusService } from './status.service';

/** `GET /status`: the uplink, the outside connections, the targets and the counters. */
@ApiTags('status')
@Controller('status')
export class StatusController {
  constructor(private readonly service: StatusService) {}

  @Get()
  @ApiOperation({ summary: 'The repeater’s state' })
  @ApiOkResponse({ description: 'the status document', schema: REPEATER_STATUS_SCHEMA })
  status() {
    return this.service.status();
  }
}

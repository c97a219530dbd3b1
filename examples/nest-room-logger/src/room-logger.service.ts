import { Injectable, Logger } from '@nestjs/common';
import { OnRoomEvent } from '@ces/messenger';

const ROOM = process.env.CES_ROOM ?? 'ITB-1101';

/** Logs every event of one room. */
@Injectable()
export class RoomLogger {
  private readonly logger = new Logger(RoomLogger.name);

  @OnRoomEvent(ROOM)
  log(event: unknown, room: string): void {
    this.logger.log(`${room}: ${JSON.stringify(event)}`);
  }
}

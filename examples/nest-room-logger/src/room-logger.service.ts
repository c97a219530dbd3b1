import { Injectable, Logger } from '@nestjs/common';
import { OnRoomEvent } from '@ces/messenger/nest';

const ROOM = process.env.CES_ROOM ?? 'ITB-1101';

/** Logs every event of one room. */
@Injectable()
export class RoomLogger {
  private readonly logger = new Logger(RoomLogger.name);

  @OnRoomEvent(ROOM)
  log(room: string, event: unknown): void {
    this.logger.log(`${room}: ${JSON.stringify(event)}`);
  }
}

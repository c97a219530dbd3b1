import { Module } from '@nestjs/common';
import { MessengerModule } from '@ces/messenger/nest';
import { RoomLogger } from './room-logger.service';

@Module({
  imports: [
    MessengerModule.forRoot({
      hubUrl: process.env.CES_HUB_URL ?? 'localhost:7100',
      name: 'room-logger',
    }),
  ],
  providers: [RoomLogger],
})
export class AppModule {}

import { Module } from '@nestjs/common';
import { MessengerModule } from '@ces/messenger';
import { RoomLogger } from './room-logger.service';

@Module({
  imports: [MessengerModule.forRoot({ hubUrl: process.env.CES_HUB_URL ?? 'ws://localhost:7100' })],
  providers: [RoomLogger],
})
export class AppModule {}

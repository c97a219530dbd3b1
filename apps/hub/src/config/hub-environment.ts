import { LOG_LEVELS, LogLevel } from '@ces/protocol/server';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/**
 * Every setting of the hub, read from the environment and validated at startup.
 * The README's configuration table lists the same names and defaults.
 */
export class HubEnvironment {
  /** Interface to listen on; empty means all interfaces. */
  @IsString()
  HUB_HOST = '';

  @IsInt()
  @Min(0)
  @Max(65535)
  HUB_PORT = 7100;

  /** Stable id of this hub in a mesh; generated at startup when empty. */
  @IsString()
  @Matches(/^[A-Za-z0-9._:-]{0,64}$/, {
    message: 'HUB_ID may only contain letters, digits and . _ : - (64 at most)',
  })
  HUB_ID = '';

  @IsInt()
  @Min(100)
  HUB_PING_INTERVAL_MS = 30_000;

  @IsInt()
  @Min(64)
  @Max(64 * 1024 * 1024)
  HUB_MAX_FRAME_BYTES = 1024 * 1024;

  @IsInt()
  @Min(1)
  @Max(4096)
  HUB_MAX_ROOM_BYTES = 256;

  /** A peer whose socket has more than this queued gets no more events until it drains. */
  @IsInt()
  @Min(1024)
  HUB_SEND_HIGH_WATER_BYTES = 1024 * 1024;

  /** Events kept for repeaters while none is connected. */
  @IsInt()
  @Min(0)
  HUB_REPEATER_BACKLOG = 1000;

  @IsBoolean()
  HUB_PERMESSAGE_DEFLATE = false;

  @IsInt()
  @Min(10)
  HUB_LINK_BACKOFF_INITIAL_MS = 500;

  @IsInt()
  @Min(10)
  HUB_LINK_BACKOFF_MAX_MS = 30_000;

  /** Hubs to link to at startup, comma-separated addresses (as for POST /interconnect). */
  @IsString()
  HUB_PEERS = '';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: string;
}

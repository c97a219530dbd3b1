import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  ValidateNested,
} from 'class-validator';

/** `affected-room` of a v2 event: where the event happened; its roomID is the routing tag. */
export class BasicRoomInfoDto {
  @IsOptional()
  @IsString()
  buildingID?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  roomID?: string;
}

/** `target-device` of a v2 event. */
export class BasicDeviceInfoDto extends BasicRoomInfoDto {
  @IsOptional()
  @IsString()
  deviceID?: string;
}

/**
 * The original system's v2 event, with its JSON names. Fields the schema does not
 * know are kept as they are: the event is forwarded, never rewritten.
 */
export class V2EventDto {
  @IsOptional()
  @IsString()
  'generating-system'?: string;

  @IsOptional()
  @IsISO8601({ strict: false }, { message: 'timestamp must be an ISO-8601 date and time' })
  timestamp?: string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  'event-tags'?: string[];

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => BasicDeviceInfoDto)
  'target-device'?: BasicDeviceInfoDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => BasicRoomInfoDto)
  'affected-room'?: BasicRoomInfoDto;

  @IsOptional()
  @IsString()
  key?: string;

  @IsOptional()
  @IsString()
  value?: string;

  @IsOptional()
  @IsString()
  user?: string;

  @IsOptional()
  data?: unknown;

  [extra: string]: unknown;
}

/** A v2 event as plain JSON. */
export type V2Event = Omit<V2EventDto, never>;

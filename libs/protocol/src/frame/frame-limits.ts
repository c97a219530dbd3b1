/** Largest frame accepted by default: 1 MiB, as in the README's configuration table. */
export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;

/** Longest room id accepted by default, in bytes of UTF-8. */
export const DEFAULT_MAX_ROOM_BYTES = 256;

export interface FrameLimits {
  maxFrameBytes: number;
  maxRoomBytes: number;
}

export const DEFAULT_FRAME_LIMITS: Readonly<FrameLimits> = Object.freeze({
  maxFrameBytes: DEFAULT_MAX_FRAME_BYTES,
  maxRoomBytes: DEFAULT_MAX_ROOM_BYTES,
});

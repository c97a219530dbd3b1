/** Why a frame was refused; each reason is counted separately by the hub. */
export type FrameErrorReason =
  | 'no-newline'
  | 'empty-room'
  | 'room-control-character'
  | 'room-too-long'
  | 'frame-too-large'
  | 'empty-event';

/** The only error the frame decoder throws. */
export class FrameError extends Error {
  constructor(
    readonly reason: FrameErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'FrameError';
  }
}

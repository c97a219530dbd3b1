import {
  decodeFrameBytes,
  decodeRoomBytes,
  encodeFrameBytes,
  isValidRoomBytes,
  utf8Text,
} from '@ces/protocol';
import { MessengerPlatform } from '../core/messenger-platform';
import { dialWithBrowserWebSocket } from './browser-socket';

/** Web pages: the page's WebSocket, frames as Uint8Arrays, no Node API anywhere. */
export const browserPlatform: MessengerPlatform<Uint8Array> = {
  dial: dialWithBrowserWebSocket,
  codec: {
    encode: encodeFrameBytes,
    room: (frame) => decodeRoomBytes(frame).room,
    decode: decodeFrameBytes,
    text: utf8Text,
    isValidRoom: (room) => isValidRoomBytes(room),
  },
  seesPings: false,
};

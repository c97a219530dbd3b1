import { decodeFrame, decodeRoom, encodeFrame, isValidRoom } from '@ces/protocol';
import { MessengerPlatform } from '../core/messenger-platform';
import { dialWithWs } from './ws-socket';

/** Node: sockets from `ws`, frames as Buffers (the hub's own codec). */
export const nodePlatform: MessengerPlatform<Buffer> = {
  dial: dialWithWs,
  codec: {
    encode: encodeFrame,
    room: (frame) => decodeRoom(frame).room,
    decode: decodeFrame,
    text: (bytes) => bytes.toString('utf8'),
    isValidRoom: (room) => isValidRoom(room),
  },
  seesPings: true,
};

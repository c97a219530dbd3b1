import { PeerKind } from '@ces/protocol';

/** What differs between the kinds of peer, in one place instead of branches everywhere. */
export interface KindBehaviour {
  /** What its text frames that start with `{` are: subscription changes, link messages, or events. */
  readonly textFrames: 'subscriptions' | 'link-messages' | 'events';
  /** Its events and control messages are held to the publish rate limit. */
  readonly rateLimited: boolean;
  /** Which send budget it gets: one client's, or a link's (a trunk carrying many rooms). */
  readonly budget: 'client' | 'link';
  /** It joins the repeaters' group on connecting. */
  readonly joinsRepeaters: boolean;
}

export const KIND_BEHAVIOUR: Readonly<Record<PeerKind, KindBehaviour>> = {
  messenger: {
    textFrames: 'subscriptions',
    rateLimited: true,
    budget: 'client',
    joinsRepeaters: false,
  },
  repeater: { textFrames: 'events', rateLimited: true, budget: 'client', joinsRepeaters: true },
  hub: { textFrames: 'link-messages', rateLimited: false, budget: 'link', joinsRepeaters: false },
};

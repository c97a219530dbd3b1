export interface PublishPump {
  /** How many events it has sent so far, numbered from 0. */
  readonly published: number;
  /** Stops after the batch under way and waits for it: `published` is final then. */
  stop(): Promise<void>;
}

/**
 * Sends numbered events without pause, `batch` of them each millisecond, until stopped: a
 * publisher that goes on across whatever the test does meanwhile (a disconnect, a resume).
 */
export function publishPump(send: (n: number) => void, batch: number): PublishPump {
  let published = 0;
  let publishing = true;
  const pumping = (async () => {
    while (publishing) {
      for (let i = 0; i < batch; i++) send(published++);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  })();
  return {
    get published() {
      return published;
    },
    stop: async () => {
      publishing = false;
      await pumping;
    },
  };
}

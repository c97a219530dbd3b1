/**
 * A small typed event emitter that runs anywhere (Node and web pages): `Events` maps each
 * event name to its listener's signature, so a misspelt name or a listener of the wrong
 * shape does not compile. Listeners are kept in copy-on-write arrays: emitting never
 * copies, and a listener added or removed during an emit takes effect from the next one.
 */
// Listener types are method signatures on purpose: a listener may declare a narrower
// payload than `unknown` (`(room, event: Buffer)` on a raw client) without a cast.
export type EventMap<T> = { [K in keyof T]: (...args: never[]) => unknown };

export class TypedEmitter<Events extends EventMap<Events>> {
  private readonly listenersByName = new Map<keyof Events, Events[keyof Events][]>();

  on<K extends keyof Events>(name: K, listener: Events[K]): this {
    const current = this.listenersByName.get(name) ?? [];
    this.listenersByName.set(name, [...current, listener]);
    return this;
  }

  once<K extends keyof Events>(name: K, listener: Events[K]): this {
    const wrapper = ((...args: Parameters<Events[K]>) => {
      this.off(name, wrapper);
      return listener(...args);
    }) as Events[K];
    return this.on(name, wrapper);
  }

  off<K extends keyof Events>(name: K, listener: Events[K]): this {
    const current = this.listenersByName.get(name);
    if (!current) return this;
    const index = current.indexOf(listener);
    if (index === -1) return this;
    const next = [...current.slice(0, index), ...current.slice(index + 1)];
    if (next.length > 0) this.listenersByName.set(name, next);
    else this.listenersByName.delete(name);
    return this;
  }

  removeAllListeners(name?: keyof Events): this {
    if (name === undefined) this.listenersByName.clear();
    else this.listenersByName.delete(name);
    return this;
  }

  listenerCount(name: keyof Events): number {
    return this.listenersByName.get(name)?.length ?? 0;
  }

  /** The current listeners of `name`, oldest first; the array is never mutated afterwards. */
  protected listenersOf<K extends keyof Events>(name: K): readonly Events[K][] {
    return (this.listenersByName.get(name) ?? []) as Events[K][];
  }

  /** Calls every listener of `name` in order; a listener that throws stops the rest. */
  protected emit<K extends keyof Events>(name: K, ...args: Parameters<Events[K]>): boolean {
    const listeners = this.listenersOf(name);
    for (const listener of listeners) listener(...args);
    return listeners.length > 0;
  }
}

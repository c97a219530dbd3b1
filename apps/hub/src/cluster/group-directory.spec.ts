import { directoryKey, GroupDirectory, hubOfKey, parseDirectoryEntry } from './group-directory';

describe('GroupDirectory', () => {
  it('knows no group for a room nobody holds', () => {
    const directory = new GroupDirectory();
    expect(directory.targetsOf('R')).toBeUndefined();
    directory.set('a', { group: 'g', hub: 'h1', rooms: ['R'] }, 0);
    expect(directory.targetsOf('S')).toBeUndefined();
  });

  it('gives each group once per room, however many hubs hold it', () => {
    const directory = new GroupDirectory();
    directory.set('a', { group: 'g', hub: 'h1', rooms: ['R'] }, 0);
    directory.set('b', { group: 'g', hub: 'h2', rooms: ['R', 'S'] }, 0);
    directory.set('c', { group: 'k', hub: 'h2', rooms: ['S'] }, 0);
    expect(directory.targetsOf('R')).toEqual([{ group: 'g', heldRoom: 'R' }]);
    expect(directory.targetsOf('S')).toEqual([
      { group: 'g', heldRoom: 'S' },
      { group: 'k', heldRoom: 'S' },
    ]);
  });

  it('matches `*` groups to every room, and a group holding the room and `*` once, for the room', () => {
    const directory = new GroupDirectory();
    directory.set('a', { group: 'all', hub: 'h1', rooms: ['*'] }, 0);
    directory.set('b', { group: 'both', hub: 'h1', rooms: ['R'] }, 0);
    directory.set('c', { group: 'both', hub: 'h2', rooms: ['*'] }, 0);
    expect(directory.targetsOf('R')).toEqual([
      { group: 'both', heldRoom: 'R' },
      { group: 'all', heldRoom: '*' },
    ]);
    expect(directory.targetsOf('other')).toEqual([
      { group: 'all', heldRoom: '*' },
      { group: 'both', heldRoom: '*' },
    ]);
    expect(directory.targetsOf('*')).toEqual(directory.targetsOf('other'));
  });

  it('follows changes and deletions of an entry', () => {
    const directory = new GroupDirectory();
    directory.set('a', { group: 'g', hub: 'h1', rooms: ['R'] }, 0);
    directory.set('a', { group: 'g', hub: 'h1', rooms: ['S'] }, 0);
    expect(directory.targetsOf('R')).toBeUndefined();
    expect(directory.targetsOf('S')).toEqual([{ group: 'g', heldRoom: 'S' }]);
    directory.delete('a');
    expect(directory.targetsOf('S')).toBeUndefined();
    expect(directory.size).toBe(0);
  });

  it('forgets entries not seen again in time (a hub that died), and keeps refreshed ones', () => {
    const directory = new GroupDirectory();
    directory.set('dead', { group: 'g', hub: 'h1', rooms: ['R'] }, 100);
    directory.set('alive', { group: 'k', hub: 'h2', rooms: ['R'] }, 100);
    directory.set('alive', { group: 'k', hub: 'h2', rooms: ['R'] }, 200);
    expect(directory.expire(150)).toEqual(['dead']);
    expect(directory.targetsOf('R')).toEqual([{ group: 'k', heldRoom: 'R' }]);
    expect(directory.view()).toEqual({ k: { h2: ['R'] } });
  });
});

describe('directory keys and values', () => {
  it('gives every group and hub one key of KV-safe characters, and the hub back', () => {
    const key = directoryKey('billing.eu *>', 'hub 1/ä');
    expect(key).toMatch(/^[-_=.A-Za-z0-9]+$/);
    expect(key.split('.')).toHaveLength(2);
    expect(hubOfKey(key)).toBe('hub 1/ä');
    expect(directoryKey('a', 'b')).not.toBe(directoryKey('b', 'a'));
  });

  it('takes well-formed values only', () => {
    const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));
    expect(parseDirectoryEntry(bytes({ group: 'g', hub: 'h', rooms: ['R', '*'] }))).toEqual({
      group: 'g',
      hub: 'h',
      rooms: ['R', '*'],
    });
    expect(parseDirectoryEntry(bytes({ group: 'g', hub: 'h', rooms: [1] }))).toBeUndefined();
    expect(parseDirectoryEntry(bytes({ group: 'g', rooms: [] }))).toBeUndefined();
    expect(parseDirectoryEntry(Buffer.from('{not json'))).toBeUndefined();
  });
});

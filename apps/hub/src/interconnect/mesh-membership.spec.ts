import { MeshMembership, MeshSelf } from './mesh-membership';

const selfOf = (linked: string[] = [], address = '10.0.0.9:7100'): MeshSelf => ({
  id: 'hub-self',
  address,
  isLinked: (id) => linked.includes(id),
});

describe('MeshMembership', () => {
  it('learns where a linked hub is from its own entry, and tells of it after itself', () => {
    const mesh = new MeshMembership();
    const { changed } = mesh.receive(
      'hub-a',
      [{ id: 'hub-a', address: '10.0.0.1:7100' }],
      selfOf(),
    );
    expect(changed).toBe(true);
    expect(mesh.members({ id: 'hub-self', address: '10.0.0.9:7100' })).toEqual([
      { id: 'hub-self', address: '10.0.0.9:7100' },
      { id: 'hub-a', address: '10.0.0.1:7100' },
    ]);
    expect(mesh.members(undefined)).toEqual([{ id: 'hub-a', address: '10.0.0.1:7100' }]);
  });

  it('reports no change when a hub repeats what it said', () => {
    const mesh = new MeshMembership();
    const list = [{ id: 'hub-a', address: 'a:1' }];
    mesh.receive('hub-a', list, selfOf());
    expect(mesh.receive('hub-a', list, selfOf()).changed).toBe(false);
  });

  it('dials the members it has no link to, never itself, its own address or the sender', () => {
    const mesh = new MeshMembership();
    const { toDial } = mesh.receive(
      'hub-a',
      [
        { id: 'hub-a', address: 'a:1' },
        { id: 'hub-b', address: 'b:1' },
        { id: 'hub-c', address: 'c:1' },
        { id: 'hub-self', address: 'elsewhere:1' },
        { id: 'hub-old', address: '10.0.0.9:7100' },
        { id: 'hub-b', address: 'b-again:1' },
      ],
      selfOf(['hub-c']),
    );
    expect(toDial).toEqual([{ id: 'hub-b', address: 'b:1' }]);
  });

  it('forgets a linked hub that stops advertising or whose link closes', () => {
    const mesh = new MeshMembership();
    mesh.receive('hub-a', [{ id: 'hub-a', address: 'a:1' }], selfOf());
    expect(mesh.receive('hub-a', [], selfOf()).changed).toBe(true);
    expect(mesh.addressOf('hub-a')).toBeUndefined();
    mesh.receive('hub-b', [{ id: 'hub-b', address: 'b:1' }], selfOf());
    expect(mesh.linkClosed('hub-b')).toBe(true);
    expect(mesh.linkClosed('hub-b')).toBe(false);
    expect(mesh.members(undefined)).toEqual([]);
  });

  it('learns without an address of its own', () => {
    const mesh = new MeshMembership();
    const self = { id: 'hub-self', isLinked: () => false };
    const { toDial } = mesh.receive('hub-a', [{ id: 'hub-b', address: 'b:1' }], self);
    expect(toDial).toEqual([{ id: 'hub-b', address: 'b:1' }]);
  });
});

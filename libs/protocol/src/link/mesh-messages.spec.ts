import * as mesh from './mesh-messages';

describe('mesh messages', () => {
  it('round-trips a member list', () => {
    const members = [
      { id: 'hub-a', address: '10.0.0.1:7100' },
      { id: 'hub-b', address: 'wss://hub-b.example.com/connect/hub' },
    ];
    const text = mesh.encodeMeshMembers(members);
    expect(text).toBe(
      '{"mesh":{"members":[{"id":"hub-a","address":"10.0.0.1:7100"},{"id":"hub-b","address":"wss://hub-b.example.com/connect/hub"}]}}',
    );
    expect(mesh.parseMeshMessage(text)).toEqual(members);
  });

  it('reads an empty list, and drops fields it does not know', () => {
    expect(mesh.parseMeshMessage('{"mesh":{"members":[]}}')).toEqual([]);
    expect(
      mesh.parseMeshMessage('{"mesh":{"members":[{"id":"h","address":" x:1 ","extra":1}]}}'),
    ).toEqual([{ id: 'h', address: 'x:1' }]);
  });

  it.each([
    ['not JSON', '{"mesh":'],
    ['no members', '{"mesh":{}}'],
    ['members as an object', '{"mesh":{"members":{}}}'],
    ['a member that is not an object', '{"mesh":{"members":["hub-a"]}}'],
    ['a member without an address', '{"mesh":{"members":[{"id":"hub-a"}]}}'],
    ['an empty address', '{"mesh":{"members":[{"id":"hub-a","address":"  "}]}}'],
    ['an id with a space', '{"mesh":{"members":[{"id":"hub a","address":"x"}]}}'],
    ['an id too long', `{"mesh":{"members":[{"id":"${'h'.repeat(65)}","address":"x"}]}}`],
    ['an address too long', `{"mesh":{"members":[{"id":"h","address":"${'a'.repeat(513)}"}]}}`],
  ])('refuses %s', (_name, text) => {
    expect(mesh.parseMeshMessage(text)).toBeUndefined();
  });

  it('refuses a list longer than the limit', () => {
    const members = Array.from({ length: mesh.MESH_MESSAGE_LIMITS.maxMembers + 1 }, (_, i) => ({
      id: `hub-${i}`,
      address: `10.0.0.1:${i}`,
    }));
    expect(mesh.parseMeshMessage(mesh.encodeMeshMembers(members))).toBeUndefined();
  });
});

import { ServiceDefinition } from './service-definitions';
import { serviceWithdrawals } from './service-withdrawal';

const registry = (...services: ServiceDefinition[]) =>
  new Map(services.map((service) => [service.name, service]));

describe('serviceWithdrawals', () => {
  it('names the topic and queue rooms a service no longer lists', () => {
    const before = registry({ name: 'n', queue: ['q1', 'q2'], topic: ['a', 'b'] });
    const after = registry({ name: 'n', queue: ['q2', 'q3'], topic: ['b', 'c'] });
    expect(serviceWithdrawals(before, after)).toEqual([
      { service: 'n', topic: ['a'], queue: ['q1'], leavesGroup: false },
    ]);
  });

  it('takes everything from a service that is gone, its instances leaving its group', () => {
    const before = registry(
      { name: 'gone', queue: ['q'], topic: ['t'] },
      { name: 'kept', queue: ['k'], topic: [] },
    );
    const after = registry({ name: 'kept', queue: ['k'], topic: [] });
    expect(serviceWithdrawals(before, after)).toEqual([
      { service: 'gone', topic: ['t'], queue: ['q'], leavesGroup: true },
    ]);
  });

  it('makes the instances of a service whose queue became empty leave its group', () => {
    const before = registry({ name: 'n', queue: ['q'], topic: ['t'] });
    const after = registry({ name: 'n', queue: [], topic: ['t'] });
    expect(serviceWithdrawals(before, after)).toEqual([
      { service: 'n', topic: [], queue: ['q'], leavesGroup: true },
    ]);
  });

  it('has nothing to take when rooms were only added, or moved between queue and topic', () => {
    const before = registry({ name: 'n', queue: ['q'], topic: ['t'] });
    expect(
      serviceWithdrawals(before, registry({ name: 'n', queue: ['q', 'r'], topic: ['t', 'u'] })),
    ).toEqual([]);
    expect(serviceWithdrawals(before, registry({ name: 'n', queue: ['t'], topic: ['q'] }))).toEqual(
      [{ service: 'n', topic: ['t'], queue: ['q'], leavesGroup: false }],
    );
    expect(serviceWithdrawals(new Map(), before)).toEqual([]);
  });
});

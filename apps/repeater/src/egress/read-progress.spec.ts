import { ReadProgress } from './read-progress';

describe('ReadProgress', () => {
  const socket = { bufferedAmount: 0 };
  const progress = () => {
    socket.bufferedAmount = 0;
    return new ReadProgress(socket, 1000);
  };

  it('is not stalled while nothing waits', () => {
    const p = progress();
    expect(p.check(0)).toBe(0);
    p.wrote(100);
    expect(p.check(10)).toBe(0);
    expect(p.overBudget).toBe(false);
  });

  it('is stalled from the first check where bytes wait and none were read', () => {
    const p = progress();
    p.wrote(500);
    socket.bufferedAmount = 504; // the payload and its header: nothing read
    expect(p.check(100)).toBe(0);
    expect(p.check(200)).toBe(100);
    expect(p.check(700)).toBe(600);
    socket.bufferedAmount = 100; // the peer read some
    expect(p.check(800)).toBe(0);
  });

  it('is stalled while over budget even when the peer reads, and over budget drops', () => {
    const p = progress();
    for (let i = 0; i < 30; i++) p.wrote(100);
    socket.bufferedAmount = 2000;
    expect(p.overBudget).toBe(true);
    p.check(0);
    socket.bufferedAmount = 1500;
    expect(p.check(50)).toBe(50);
    socket.bufferedAmount = 900;
    expect(p.check(60)).toBe(0);
  });
});

import { Script } from 'node:vm';
import { REPEATER_DASHBOARD_HTML, REPEATER_DASHBOARD_SCRIPT } from './repeater-dashboard-page';

describe('the repeater dashboard page', () => {
  it('has a script that parses and writes no data as HTML', () => {
    expect(() => new Script(REPEATER_DASHBOARD_SCRIPT)).not.toThrow();
    expect(REPEATER_DASHBOARD_SCRIPT).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML/);
  });

  it('has no inline script or style (its CSP forbids them)', () => {
    expect(REPEATER_DASHBOARD_HTML).not.toMatch(/<script>|<style|\sstyle=|\son[a-z]+=/i);
  });
});

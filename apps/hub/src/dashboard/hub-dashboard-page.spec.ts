import { Script } from 'node:vm';
import { HUB_DASHBOARD_HTML, HUB_DASHBOARD_SCRIPT } from './hub-dashboard-page';

describe('the hub dashboard page', () => {
  it('has a script that parses', () => {
    expect(() => new Script(HUB_DASHBOARD_SCRIPT)).not.toThrow();
  });

  it('has no inline script or style (its CSP forbids them)', () => {
    expect(HUB_DASHBOARD_HTML).not.toMatch(/<script>|<style|\sstyle=|\son[a-z]+=/i);
    expect(HUB_DASHBOARD_HTML).toContain('<script src="dashboard/app.js"></script>');
  });

  it('never writes data as HTML', () => {
    expect(HUB_DASHBOARD_SCRIPT).not.toMatch(
      /innerHTML|outerHTML|insertAdjacentHTML|document\.write/,
    );
  });
});

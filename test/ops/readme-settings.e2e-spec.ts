import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HubEnvironment } from '../../apps/hub/src/config/hub-environment';
import { RepeaterEnvironment } from '../../apps/repeater/src/config/repeater-environment';

// Every setting the apps read is in the README's configuration tables, with its default.
const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The table rows of the README that name `setting` in their first cell. */
const rowsOf = (setting: string) =>
  README.split('\n').filter(
    (line) => line.startsWith('|') && line.split('|')[1].includes(`\`${setting}\``),
  );

describe('the README', () => {
  it.each([
    ['hub', new HubEnvironment()],
    ['repeater', new RepeaterEnvironment()],
  ])('documents every setting of the %s', (_app, environment) => {
    const undocumented = Object.keys(environment).filter((setting) => rowsOf(setting).length === 0);
    expect(undocumented).toEqual([]);
  });

  it('gives the defaults of the settings of this work', () => {
    expect(rowsOf('LOG_FORMAT').every((row) => row.includes('`auto`'))).toBe(true);
    expect(rowsOf('HUB_PING_INTERVAL_MS')[0]).toContain('89999');
  });
});

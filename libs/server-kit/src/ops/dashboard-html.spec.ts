import { card, dashboardPage, dataTable } from './dashboard-html';

describe('the dashboard page builders', () => {
  it('builds a table the script fills, with its column kinds', () => {
    expect(dataTable('targets', ['target:address', 'sent:num', ''], 'stack')).toBe(
      `<table id="targets" class="stack">
      <thead><tr><th class="address">target</th><th class="num">sent</th><th></th></tr></thead>
      <tbody id="targets-body"></tbody>
    </table>`,
    );
  });

  it('builds the page: the app id, a rate card per key, a legend of the charted ones, the cards', () => {
    const html = dashboardPage({
      app: 'relay',
      rates: [
        { key: 'in', label: 'in (from outside)', cls: 'in', charted: true },
        { key: 'rejected', label: 'rejected', cls: 'drop' },
      ],
      cards: [card('Things', '<p id="things"></p>', { wide: true })],
    });
    expect(html).toContain('<title>CES relay</title>');
    expect(html).toContain('<span id="relay-id">…</span>');
    expect(html).toContain('<div class="value" id="rate-in">–</div>');
    expect(html).toContain('<div class="label" id="total-rejected"></div>');
    expect(html).toContain('<div class="legend"><span class="in">■ in</span></div>');
    expect(html).toContain('<section class="wide">\n    <h2>Things</h2>\n    <p id="things"></p>');
  });
});

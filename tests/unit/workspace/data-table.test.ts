import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DataTable, type Column } from '../../../src/workspace/src/lib/data-table';

interface Row {
  id: string;
  title: string;
  count: number;
  seconds: number | null;
}

const columns: Column<Row>[] = [
  { header: 'Scenario', cell: (r) => r.title },
  { header: 'Count', field: 'count', cell: (r) => r.count },
  {
    header: 'Median',
    field: 'median',
    cell: (r) => (r.seconds === null ? '—' : `${r.seconds} s`),
    attrs: (r) => ({ 'data-seconds': r.seconds === null ? '' : String(r.seconds) }),
  },
];

const render = (rows: Row[]) =>
  renderToStaticMarkup(
    createElement(DataTable<Row>, {
      caption: 'Scenarios, most first',
      columns,
      rows,
      rowKey: (r) => r.id,
      rowAttrs: (r) => ({ 'data-scenario': r.id }),
    }),
  );

describe('the workspace data table', () => {
  it('heads each column and each row, with a caption for screen readers', () => {
    const html = render([{ id: 'pitch', title: 'Pitch', count: 3, seconds: 90 }]);
    expect(html).toBe(
      '<table class="data-table">' +
        '<caption class="visually-hidden">Scenarios, most first</caption>' +
        '<thead><tr><th scope="col">Scenario</th><th scope="col">Count</th><th scope="col">Median</th></tr></thead>' +
        '<tbody><tr data-scenario="pitch">' +
        '<th scope="row">Pitch</th>' +
        '<td data-field="count">3</td>' +
        '<td data-field="median" data-seconds="90">90 s</td>' +
        '</tr></tbody></table>',
    );
  });

  it('renders one row per item in order, with per-cell attributes', () => {
    const html = render([
      { id: 'a', title: 'A', count: 1, seconds: null },
      { id: 'b', title: 'B', count: 2, seconds: 5 },
    ]);
    expect([...html.matchAll(/data-scenario="(\w+)"/g)].map((m) => m[1])).toEqual(['a', 'b']);
    expect(html).toContain('<td data-field="median" data-seconds="">—</td>');
  });
});

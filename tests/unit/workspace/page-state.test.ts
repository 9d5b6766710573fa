import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { EmptyPanel, ErrorAlert, Loading } from '../../../src/workspace/src/lib/page-state';

const html = (element: Parameters<typeof renderToStaticMarkup>[0]) => renderToStaticMarkup(element);

describe('the workspace page states', () => {
  it('says what failed, as an alert, and nothing when nothing failed', () => {
    expect(html(createElement(ErrorAlert, { what: 'load the queue', error: 'The database is down' }))).toBe(
      '<p class="error-text" role="alert">Could not load the queue: The database is down</p>',
    );
    expect(html(createElement(ErrorAlert, { what: 'load the queue', error: null }))).toBe('');
  });

  it('marks loading as busy and an empty page as a status panel', () => {
    expect(html(createElement(Loading, null, 'Loading the queue…'))).toBe(
      '<p class="muted" aria-busy="true">Loading the queue…</p>',
    );
    expect(html(createElement(EmptyPanel, null, createElement('p', null, 'Nothing yet.')))).toBe(
      '<div class="panel empty-state" role="status"><p>Nothing yet.</p></div>',
    );
  });
});

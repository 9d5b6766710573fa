import { useCallback, useEffect, useMemo, useState } from 'react';
import { SUBMISSION_STATUS_LABELS } from '../../../../shared/sync/protocol';
import { create } from 'zustand';
import { AppLink } from '../../lib/app-link';
import { api, ApiError, errorMessage, type Program, type QueueItem, type User } from '../../lib/api';
import { formatDateTime, formatWaiting } from '../../lib/format';
import { EmptyPanel, ErrorAlert, Loading } from '../../lib/page-state';
import { reviewPath } from '../../lib/session';
import {
  filterQueue,
  isFiltered,
  NO_FILTERS,
  WAITING_OPTIONS,
  type QueueFilters,
  type WaitingFilter,
} from './queue-filters';

/** Filters survive going to a review and back. */
const useFilters = create<{ filters: QueueFilters; set(patch: Partial<QueueFilters>): void }>((set) => ({
  filters: NO_FILTERS,
  set: (patch) => set((s) => ({ filters: { ...s.filters, ...patch } })),
}));

interface QueueData {
  items: QueueItem[];
  programs: Program[];
  partners: User[];
  /** Organisation names (admins only: coaches may not list organisations). */
  orgNames: Map<string, string>;
  loadedAt: number;
}

async function loadQueue(): Promise<QueueData> {
  const [queue, programs, partners, orgs] = await Promise.all([
    api.queue(),
    api.programs(),
    api.partners(),
    api.organisations().catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 403) return { organisations: [] };
      throw error;
    }),
  ]);
  return {
    items: queue.submissions,
    programs: programs.programs,
    partners: partners.partners,
    orgNames: new Map(orgs.organisations.map((o) => [o.id, o.name])),
    loadedAt: Date.now(),
  };
}

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1);

export function QueuePage() {
  const [data, setData] = useState<QueueData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const filters = useFilters((s) => s.filters);
  const setFilters = useFilters((s) => s.set);

  const reload = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setData(await loadQueue());
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);

  const view = useMemo(() => {
    if (!data) return null;
    const orgOfPartner = new Map(data.partners.map((p) => [p.id, p.orgId]));
    const companyName = (orgId: string) => {
      const named = data.orgNames.get(orgId);
      if (named) return named;
      // Coaches cannot read organisation names: name the company by its partners' email domain.
      const domains = [
        ...new Set(data.partners.filter((p) => p.orgId === orgId).map((p) => domainOf(p.email))),
      ];
      return domains.length ? domains.join(', ') : orgId;
    };
    const companies = [
      ...new Set(data.items.map((i) => orgOfPartner.get(i.partner.id)).filter((x): x is string => !!x)),
    ]
      .map((id) => ({ id, name: companyName(id) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const programTitle = (id: string) => data.programs.find((p) => p.id === id)?.title ?? id;
    const programs = [...new Set(data.items.map((i) => i.programId))].map((id) => ({
      id,
      title: programTitle(id),
    }));
    const scenarios = [
      ...new Set(
        data.items
          .filter((i) => !filters.programId || i.programId === filters.programId)
          .map((i) => i.scenarioId),
      ),
    ].sort();
    const rows = filterQueue(data.items, filters, (partnerId) => orgOfPartner.get(partnerId), data.loadedAt);
    return { companies, programs, scenarios, rows, programTitle, companyName, orgOfPartner };
  }, [data, filters]);

  return (
    <section aria-labelledby="queue-title">
      <div className="page-header">
        <h2 id="queue-title">Review queue</h2>
        <button type="button" onClick={() => void reload()} disabled={loading}>
          {loading ? 'Loading…' : 'Refresh'}
        </button>
      </div>
      <ErrorAlert what="load the queue" error={error} />
      {!data && loading && <Loading>Loading the queue…</Loading>}
      {data && view && (
        <>
          <form className="panel filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
            <label>
              Program
              <select
                value={filters.programId}
                onChange={(e) => setFilters({ programId: e.target.value, scenarioId: '' })}
              >
                <option value="">All programs</option>
                {view.programs.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.title}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Scenario
              <select value={filters.scenarioId} onChange={(e) => setFilters({ scenarioId: e.target.value })}>
                <option value="">All scenarios</option>
                {view.scenarios.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Partner company
              <select value={filters.companyId} onChange={(e) => setFilters({ companyId: e.target.value })}>
                <option value="">All companies</option>
                {view.companies.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Waiting
              <select
                value={filters.waiting}
                onChange={(e) => setFilters({ waiting: e.target.value as WaitingFilter })}
              >
                {WAITING_OPTIONS.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </label>
            {isFiltered(filters) && (
              <button type="button" onClick={() => setFilters(NO_FILTERS)}>
                Clear filters
              </button>
            )}
          </form>
          <p className="muted" aria-live="polite">
            {view.rows.length} of {data.items.length} waiting, oldest first.
          </p>
          {view.rows.length === 0 ? (
            <EmptyPanel>
              {data.items.length === 0 ? (
                <p>
                  No submissions are waiting for review. New formal submissions appear here once their
                  recording has arrived.
                </p>
              ) : (
                <>
                  <p>No submission matches these filters.</p>
                  <button type="button" onClick={() => setFilters(NO_FILTERS)}>
                    Clear filters
                  </button>
                </>
              )}
            </EmptyPanel>
          ) : (
            <table className="panel queue-table">
              <caption className="visually-hidden">Submissions waiting for review, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">Partner</th>
                  <th scope="col">Company</th>
                  <th scope="col">Program · scenario</th>
                  <th scope="col">Waiting</th>
                  <th scope="col">Status</th>
                  <th scope="col">AI score</th>
                  <th scope="col">Recording</th>
                </tr>
              </thead>
              <tbody>
                {view.rows.map((item) => {
                  const orgId = view.orgOfPartner.get(item.partner.id);
                  return (
                    <tr key={item.id} data-submission={item.id}>
                      <td>
                        <AppLink href={reviewPath(item.id)} className="queue-open">
                          {item.partner.name}
                        </AppLink>
                        <div className="muted small">{item.partner.email}</div>
                      </td>
                      <td>{orgId ? view.companyName(orgId) : '—'}</td>
                      <td>
                        {view.programTitle(item.programId)}
                        <div className="muted small">
                          {item.scenarioId} · pack {item.packVersion}
                        </div>
                      </td>
                      <td title={`Submitted ${formatDateTime(item.createdAt)}`}>
                        {formatWaiting(data.loadedAt - Date.parse(item.createdAt))}
                      </td>
                      <td>
                        <span className={`badge badge-${item.status}`}>
                          {SUBMISSION_STATUS_LABELS[item.status]}
                        </span>
                      </td>
                      <td>{item.aiScore === null ? '—' : Math.round(item.aiScore)}</td>
                      <td>{item.hasRecording ? 'yes' : 'none'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Field } from '../../ui/Field.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { TimeChart, type Series } from './metrics/TimeChart.tsx';
import '../../styles/team-metrics.css';

interface DurationStats {
  count: number;
  medianHours: number | null;
  p90Hours: number | null;
}
type AgeBucket = 'under7Days' | 'under30Days' | 'under90Days' | 'over90Days';
interface Metrics {
  from: string;
  to: string;
  timeTo: Record<'acknowledge' | 'triage' | 'fix' | 'disclose', DurationStats>;
  weekly: Array<{ week: string; acknowledge: DurationStats; fix: DurationStats }>;
  open: Record<string, Record<AgeBucket, number>>;
  sla: { reportsConsidered: number; truncated: boolean; clocks: Record<string, { met: number; breached: number; rate: number }> };
}

const ageBuckets: Array<[AgeBucket, string]> = [['under7Days', 'Under 7 days'], ['under30Days', '7–30 days'], ['under90Days', '30–90 days'], ['over90Days', 'Over 90 days']];
const severityOrder = ['critical', 'high', 'medium', 'low', 'none', 'unscored'];
const hours = (h: number | null) => (h === null ? '—' : h < 48 ? `${h} h` : `${Math.round((h / 24) * 10) / 10} days`);
const clockName = (name: string) => name.replace(/_/g, ' ');

/** Response metrics: how fast the team acknowledges and fixes, over time; SLA compliance per clock; the open backlog. */
export default function MetricsPage() {
  const { slug = '' } = useParams();
  const [days, setDays] = useState(90);
  const metrics = useQuery({
    queryKey: ['metrics', slug, days],
    queryFn: () => {
      const to = new Date();
      const from = new Date(to.getTime() - days * 86_400_000);
      return api<Metrics>(`/api/v1/projects/${slug}/metrics?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`);
    },
  });
  return (
    <>
      <PageTitle title={`${slug} metrics`}>Response metrics of {slug}</PageTitle>
      <p><Link to={`/projects/${slug}/settings`}>Project settings</Link></p>
      <Field label="Period" hint="Reports received in this period (the open backlog is always as of now).">
        {(ids) => (
          <select {...ids} value={days} onChange={(e) => setDays(Number(e.target.value))}>
            <option value={30}>Last 30 days</option>
            <option value={90}>Last 90 days</option>
            <option value={180}>Last 180 days</option>
            <option value={365}>Last 365 days</option>
          </select>
        )}
      </Field>
      {metrics.isPending ? <Loading what="Loading metrics" /> : metrics.error ? <ErrorMessage error={metrics.error} /> : <Dashboard metrics={metrics.data} />}
    </>
  );
}

function Dashboard({ metrics }: { metrics: Metrics }) {
  const weeks = useMemo(() => metrics.weekly.map((w) => w.week), [metrics]);
  const ackSeries = useMemo<Series[]>(() => [
    { label: 'Median', values: metrics.weekly.map((w) => w.acknowledge.medianHours), stroke: '#1d4ed8' },
    { label: '90th percentile', values: metrics.weekly.map((w) => w.acknowledge.p90Hours), stroke: '#b45309', dash: [6, 4] },
  ], [metrics]);
  const fixSeries = useMemo<Series[]>(() => [
    { label: 'Median', values: metrics.weekly.map((w) => w.fix.medianHours), stroke: '#1d4ed8' },
    { label: '90th percentile', values: metrics.weekly.map((w) => w.fix.p90Hours), stroke: '#b45309', dash: [6, 4] },
  ], [metrics]);
  const severities = Object.keys(metrics.open).sort((a, b) => severityOrder.indexOf(a) - severityOrder.indexOf(b));
  const openTotal = severities.reduce((sum, s) => sum + Object.values(metrics.open[s]!).reduce((a, b) => a + b, 0), 0);

  return (
    <>
      <ul className="cards metric-cards" aria-label="Summary">
        <li className="card"><h2>Time to acknowledge</h2><p className="metric">{hours(metrics.timeTo.acknowledge.medianHours)}</p><p className="hint">median · 90th percentile {hours(metrics.timeTo.acknowledge.p90Hours)} · {metrics.timeTo.acknowledge.count} reports</p></li>
        <li className="card"><h2>Time to fix</h2><p className="metric">{hours(metrics.timeTo.fix.medianHours)}</p><p className="hint">median · 90th percentile {hours(metrics.timeTo.fix.p90Hours)} · {metrics.timeTo.fix.count} reports</p></li>
        <li className="card"><h2>Open reports</h2><p className="metric">{openTotal}</p><p className="hint">not yet disclosed or closed</p></li>
      </ul>
      <WeeklyFigure id="ack" title="Time to acknowledge per week" weeks={weeks} series={ackSeries} stats={metrics.weekly.map((w) => w.acknowledge)} />
      <WeeklyFigure id="fix" title="Time to fix per week" weeks={weeks} series={fixSeries} stats={metrics.weekly.map((w) => w.fix)} />

      <section aria-labelledby="sla-heading">
        <h2 id="sla-heading">SLA compliance per clock</h2>
        <p className="hint">Clocks decided in the period (met or breached) of {metrics.sla.reportsConsidered} reports{metrics.sla.truncated ? ' (the first 5000 only)' : ''}.</p>
        {Object.keys(metrics.sla.clocks).length === 0 ? <p>No clock was decided in this period.</p> : (
          <div className="table-scroll">
            <table>
              <thead><tr><th scope="col">Clock</th><th scope="col">Met</th><th scope="col">Breached</th><th scope="col">Compliance</th></tr></thead>
              <tbody>
                {Object.entries(metrics.sla.clocks).map(([name, c]) => (
                  <tr key={name}>
                    <th scope="row">{clockName(name)}</th>
                    <td>{c.met}</td>
                    <td>{c.breached}</td>
                    <td>
                      <span className="rate">{Math.round(c.rate * 100)}%</span>
                      <meter min={0} max={1} low={0.8} high={0.95} optimum={1} value={c.rate} aria-label={`${clockName(name)} compliance`}>{Math.round(c.rate * 100)}%</meter>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="open-heading">
        <h2 id="open-heading">Open reports by severity and age</h2>
        {severities.length === 0 ? <p>No open reports.</p> : (
          <div className="table-scroll">
            <table className="open-grid">
              <thead><tr><th scope="col">Severity</th>{ageBuckets.map(([key, label]) => <th key={key} scope="col">{label}</th>)}<th scope="col">Total</th></tr></thead>
              <tbody>
                {severities.map((s) => {
                  const row = metrics.open[s]!;
                  return (
                    <tr key={s}>
                      <th scope="row">{s}</th>
                      {ageBuckets.map(([key]) => <td key={key} className={row[key] > 0 ? `age-${key}` : undefined}>{row[key]}</td>)}
                      <td>{Object.values(row).reduce((a, b) => a + b, 0)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function WeeklyFigure({ id, title, weeks, series, stats }: { id: string; title: string; weeks: string[]; series: Series[]; stats: DurationStats[] }) {
  const measured = stats.filter((s) => s.medianHours !== null);
  const summary = measured.length === 0 ? 'No report in the period reached this milestone.' : `${measured.length} week${measured.length === 1 ? '' : 's'} with data; latest median ${hours(measured.at(-1)!.medianHours)}, 90th percentile ${hours(measured.at(-1)!.p90Hours)}.`;
  return (
    <figure className="chart-figure" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}><h2>{title}</h2><p className="hint" id={`${id}-summary`}>{summary} Weeks are weeks of receipt.</p></figcaption>
      {measured.length > 0 && <TimeChart weeks={weeks} series={series} unit="hours" />}
      <details>
        <summary>Data table: {title.toLowerCase()}</summary>
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{title}</caption>
            <thead><tr><th scope="col">Week of</th><th scope="col">Median</th><th scope="col">90th percentile</th><th scope="col">Reports</th></tr></thead>
            <tbody>
              {weeks.map((week, i) => (
                <tr key={week}><th scope="row">{week}</th><td>{hours(stats[i]!.medianHours)}</td><td>{hours(stats[i]!.p90Hours)}</td><td>{stats[i]!.count}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

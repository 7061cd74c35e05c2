import { useEffect, useState } from 'react';
import type { UsageRequest } from '../../../src-main/ipc/metrics';
import { useApi } from '../../data/api-context';
import type { UsagePoint } from './usage-history';
import { addSample, polylinePoints } from './usage-history';
import './metrics.css';

const POLL_MS = 5_000;
const WIDTH = 480;
const HEIGHT = 120;

function Chart({
  title,
  values,
  format,
  testId,
}: {
  title: string;
  values: number[];
  format: (v: number) => string;
  testId: string;
}) {
  const max = Math.max(1, ...values) * 1.2;
  const last = values.at(-1);
  return (
    <section className="panel usage-chart" data-testid={testId}>
      <div className="usage-chart-head">
        <h3>{title}</h3>
        <span className="usage-now">{last === undefined ? '—' : format(last)}</span>
      </div>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={title}>
        <polyline className="usage-line" points={polylinePoints(values, WIDTH, HEIGHT, max)} />
      </svg>
      <div className="muted small">
        peak {format(Math.max(0, ...values))} · last {values.length} samples
      </div>
    </section>
  );
}

const cpuText = (m: number) => (m >= 1000 ? `${(m / 1000).toFixed(2)} cores` : `${Math.round(m)}m`);
const memoryText = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;

/** Live CPU and memory charts of a pod or node, sampled from metrics.k8s.io while shown. */
export function UsageCharts(request: UsageRequest) {
  const api = useApi();
  const [history, setHistory] = useState<UsagePoint[]>([]);
  const [reason, setReason] = useState<string>();
  const key = JSON.stringify(request);

  useEffect(() => {
    const parsed = JSON.parse(key) as UsageRequest;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const sample = await api.invoke('metrics.usage', parsed);
        if (stopped) return;
        setReason(sample.available ? undefined : sample.reason);
        setHistory((old) => addSample(old, sample));
      } catch (err) {
        if (!stopped) setReason(err instanceof Error ? err.message : String(err));
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, key]);

  return (
    <div className="usage-charts">
      {reason && history.length === 0 && <div className="muted">{reason}</div>}
      <Chart title="CPU" testId="cpu-chart" values={history.map((p) => p.cpuMillicores)} format={cpuText} />
      <Chart
        title="Memory"
        testId="memory-chart"
        values={history.map((p) => p.memoryBytes)}
        format={memoryText}
      />
    </div>
  );
}

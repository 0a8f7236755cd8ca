import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  values: Array<number | null>;
  /** A colour with at least 3:1 contrast on white; the legend names each series, so colour is never the only cue. */
  stroke: string;
  dash?: number[];
}

/**
 * A uPlot line chart over weeks. The canvas is hidden from assistive
 * technology; the figure that holds it carries the data as a table (see
 * MetricsPage), which is the chart's text alternative.
 */
export function TimeChart({ weeks, series, unit }: { weeks: string[]; series: Series[]; unit: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const x = weeks.map((w) => Date.parse(`${w}T00:00:00Z`) / 1000);
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 280),
      height: 240,
      scales: { x: { time: true } },
      axes: [{}, { label: unit, size: 60 }],
      series: [{ label: 'Week' }, ...series.map((s) => ({ label: s.label, stroke: s.stroke, width: 2, dash: s.dash, points: { show: true, size: 6 }, spanGaps: true }))],
    };
    const chart = new uPlot(options, [x, ...series.map((s) => s.values)] as uPlot.AlignedData, element);
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(element.clientWidth, 280), height: 240 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [weeks, series, unit]);
  return <div className="chart" ref={box} aria-hidden="true" />;
}

// Timing helpers for the benchmarks: wall-clock measurement, medians, and the two-size method
// that cancels an engine's start-up cost (time(n2) - time(n1)) / (n2 - n1).
import { spawnSync } from 'node:child_process';

export function nowSeconds(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Runs `action` `runs` times and returns the median duration in seconds. */
export function medianDuration(runs: number, action: () => void): number {
  const durations: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = nowSeconds();
    action();
    durations.push(nowSeconds() - start);
  }
  return median(durations);
}

/** Wall time of a spawned command in seconds, and its output. */
export function timeCommand(command: string, args: readonly string[], timeoutSeconds = 600): { seconds: number; status: number | null; stdout: string; stderr: string } {
  const start = nowSeconds();
  const result = spawnSync(command, args, { encoding: 'latin1', timeout: timeoutSeconds * 1000 });
  return { seconds: nowSeconds() - start, status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

export function formatSeconds(seconds: number): string {
  if (seconds < 1e-3) return `${(seconds * 1e6).toFixed(1)} µs`;
  if (seconds < 1) return `${(seconds * 1e3).toFixed(2)} ms`;
  return `${seconds.toFixed(2)} s`;
}

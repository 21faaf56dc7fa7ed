// Diagnostics: errors and warnings with a location, collected by every assembler stage.
// Owns: the Diagnostic shape, its `file:line:col: error: message` rendering and a collector
// that caps runaway error counts. Must not know: which stage reports what.
import { type ExpansionChain, type SourceLocation, formatLocation } from './sourceLocation';

export type Severity = 'error' | 'warning' | 'note';

export interface Diagnostic {
  readonly severity: Severity;
  readonly message: string;
  readonly location: SourceLocation;
  /** The expansions the offending text came through, innermost first. */
  readonly expansion?: ExpansionChain;
}

/** `file:line:col: error: message`, followed by one `note:` line per expansion frame. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const lines = [`${formatLocation(diagnostic.location)}: ${diagnostic.severity}: ${diagnostic.message}`];
  for (const frame of diagnostic.expansion ?? []) {
    const what = frame.kind === 'include' ? `included from here` : `in expansion of ${frame.kind} '${frame.name}'${frame.iteration === undefined ? '' : ` (iteration ${frame.iteration})`}`;
    lines.push(`${formatLocation(frame.site)}: note: ${what}`);
  }
  return lines.join('\n');
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Collects diagnostics; after `limit` errors further errors are dropped and one note says so. */
export class DiagnosticSink {
  readonly diagnostics: Diagnostic[] = [];
  private errorCount = 0;
  private truncated = false;

  constructor(private readonly limit = 1000) {}

  report(diagnostic: Diagnostic): void {
    if (diagnostic.severity === 'error') {
      this.errorCount++;
      if (this.errorCount > this.limit) {
        if (!this.truncated) {
          this.truncated = true;
          this.diagnostics.push({ ...diagnostic, severity: 'note', message: `too many errors (more than ${this.limit}); stopping here` });
        }
        return;
      }
    }
    this.diagnostics.push(diagnostic);
  }

  error(location: SourceLocation, message: string, expansion?: ExpansionChain): void {
    this.report({ severity: 'error', message, location, ...(expansion?.length ? { expansion } : {}) });
  }

  warning(location: SourceLocation, message: string, expansion?: ExpansionChain): void {
    this.report({ severity: 'warning', message, location, ...(expansion?.length ? { expansion } : {}) });
  }

  get errors(): number {
    return this.errorCount;
  }

  /** True once the error limit is reached: stages should stop producing work. */
  get saturated(): boolean {
    return this.truncated;
  }
}

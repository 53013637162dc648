/**
 * weighByProfile: which findings a CPU profile moves, and how far — by hand-made findings and profiles, so each rule of
 * src/fusion/measured.ts is checked on its own.
 */
import { describe, expect, it } from 'vitest';
import type { Finding, Severity } from '../../src/analyzers/finding';
import type { EvidencePolicy } from '../../src/analyzers/rule';
import type { TimeProfile } from '../../src/fusion/functionTimes';
import { weighByProfile } from '../../src/fusion/measured';

const CPU: EvidencePolicy = { basis: 'items', why: '', cpu: true };
const WAITING: EvidencePolicy = { basis: 'items', why: '' };
const policies: Record<string, EvidencePolicy> = { 'lookup-in-loop': CPU, 'query-in-loop': WAITING };
const policyOf = (rule: string): EvidencePolicy | undefined => policies[rule];

function finding(rule: string, line: number, severity: Severity, options: Partial<Finding> = {}): Finding {
  return {
    rule,
    messageId: 'm',
    data: {},
    category: 'complexity',
    severity,
    configuredSeverity: 'warning',
    message: 'm',
    file: '/app/a.js',
    range: { start: { line, column: 1 }, end: { line, column: 9 } },
    start: 0,
    end: 8,
    impact: 'high',
    effort: 'low',
    fixes: [],
    hotness: { selfMs: 10, totalMs: 10, share: 0.01 },
    evidence: { scale: 'unknown', context: 'unknown', reasons: ['static reason'] },
    ...options,
  };
}

const profile: TimeProfile = {
  totalMs: 1000,
  functions: [{ name: 'f', path: '/app/a.js', line: 1, column: 1, selfMs: 900, totalMs: 950 }],
  lines: [
    { path: '/app/a.js', line: 4, selfMs: 600 },
    { path: '/app/a.js', line: 5, selfMs: 30 },
  ],
  notes: [],
};

describe('weighByProfile', () => {
  it('raises a hot finding of a CPU rule to its configured severity, never above it', () => {
    const { findings, raised, lowered } = weighByProfile(
      [finding('lookup-in-loop', 4, 'info'), finding('lookup-in-loop', 4, 'info', { configuredSeverity: 'info' })],
      profile,
      { policyOf },
    );
    expect(findings.map((f) => f.severity)).toEqual(['warning', 'info']);
    expect([raised, lowered]).toEqual([1, 0]);
    expect(findings[0].evidence.measured).toEqual({ share: 0.6, ms: 600 });
    expect(findings[0].evidence.reasons).toEqual(["measured: 60.0% of this run's time on this line (600.0 ms)", 'static reason']);
  });

  it('adds the lines of a finding that spans several', () => {
    const wide = finding('lookup-in-loop', 4, 'info', { range: { start: { line: 4, column: 1 }, end: { line: 5, column: 2 } } });
    const [weighed] = weighByProfile([wide], profile, { policyOf }).findings;
    expect(weighed.evidence.measured).toEqual({ share: 0.63, ms: 630 });
    expect(weighed.evidence.reasons[0]).toContain('on these lines');
  });

  it('leaves a finding under the hot share where it is, saying so', () => {
    const { findings } = weighByProfile([finding('lookup-in-loop', 5, 'info')], profile, { policyOf });
    expect(findings[0].severity).toBe('info');
    expect(findings[0].evidence.reasons[0]).toBe("measured: 3.0% of this run's time on this line, under the hot share of 5.0%");
    expect(weighByProfile([finding('lookup-in-loop', 5, 'info')], profile, { policyOf, hotShare: 0.02 }).findings[0].severity).toBe(
      'warning',
    );
  });

  it('drops a level where the run executed the file but never the finding’s function', () => {
    const { findings, lowered } = weighByProfile(
      [finding('lookup-in-loop', 40, 'warning', { hotness: null }), finding('lookup-in-loop', 40, 'info', { hotness: null })],
      profile,
      { policyOf },
    );
    expect(findings.map((f) => f.severity)).toEqual(['info', 'info']);
    expect(lowered).toBe(1);
  });

  it('does not drop a finding in a file the run never executed: it measured nothing there', () => {
    const elsewhere = finding('lookup-in-loop', 4, 'warning', { hotness: null, file: '/app/other.js' });
    const [weighed] = weighByProfile([elsewhere], profile, { policyOf }).findings;
    expect(weighed.severity).toBe('warning');
    expect(weighed.evidence.measured).toEqual({ share: 0, ms: 0 });
  });

  it('leaves a rule whose cost is waiting untouched: a CPU profile does not see it', () => {
    const query = finding('query-in-loop', 4, 'info');
    const [weighed] = weighByProfile([query], profile, { policyOf }).findings;
    expect(weighed).toBe(query);
  });

  it('without lines in the profile, measures the function’s own time', () => {
    const [weighed] = weighByProfile(
      [finding('lookup-in-loop', 4, 'info', { hotness: { selfMs: 80, totalMs: 900, share: 0.9 } })],
      { ...profile, lines: [] },
      { policyOf },
    ).findings;
    expect(weighed.severity).toBe('warning');
    expect(weighed.evidence.measured).toEqual({ share: 0.08, ms: 80 });
    expect(weighed.evidence.reasons[0]).toContain("its function's own code");
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { capturedOutput, jsonLogEntries } from '../../test/captured-output';
import { loadCliConfig } from '../cli-config';
import { parseThresholds, registerEvalCommand, renderResultsReport } from './eval.command';

describe('wendao eval', () => {
  let out: string;
  let log: ReturnType<typeof vi.spyOn>;

  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'wendao-eval-cli-'));
    log = vi.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterEach(() => {
    log.mockRestore();
    rmSync(out, { recursive: true, force: true });
  });

  function program(env?: NodeJS.ProcessEnv): Command {
    const p = new Command().exitOverride();
    registerEvalCommand(p, loadCliConfig(env));
    return p;
  }
  /** `wendao eval reader squad --lexical --limit 20`, then `more`. */
  const readerSquad = (more: string[], env?: NodeJS.ProcessEnv) =>
    program(env).parseAsync([
      'node',
      'wendao',
      'eval',
      'reader',
      'squad',
      '--lexical',
      '--limit',
      '20',
      ...more,
    ]);

  it('runs a reader eval in lexical mode, writes its record and prints the table', async () => {
    await readerSquad(['--quiet', '--out', out]);
    expect(readdirSync(out)).toEqual(['eval-reader-squad.json']);
    const printed = log.mock.calls.map((c: unknown[]) => String(c[0])).join('\n');
    expect(printed).toMatch(/### reader · squad \(dev\) · lexical/);
    expect(printed).toMatch(/\| lexical \| [\d.]+ \| [\d.]+ \|/);
    const report = renderResultsReport(out);
    expect(report).toMatch(/^\| task \| dataset \| mode \| n \| result \|/);
    expect(report).toMatch(/\| reader \| squad \| lexical \| 20 \| lexical, EM [\d.]+, F1 [\d.]+/);
    expect(report).toContain('### reader · squad (dev) · lexical');
  });

  it('logs its progress lines as JSON entries with WENDAO_LOG_FORMAT=json', async () => {
    // They were plain "squad: 2/20" lines on stderr, which a log shipper under JSON logs cannot parse.
    const entries = jsonLogEntries(
      await capturedOutput(() => readerSquad(['--out', out], { WENDAO_LOG_FORMAT: 'json' })),
    );
    expect(entries.length).toBeGreaterThan(1);
    for (const entry of entries) expect(entry).toMatchObject({ level: 'log', context: 'Eval' });
    expect(entries.map((e) => e.message)).toContainEqual(expect.stringMatching(/: 20\/20$/));
  });

  it('asks a shop set with given thresholds instead of calibrating, and refuses malformed ones', async () => {
    await program().parseAsync([
      'node',
      'wendao',
      'eval',
      'shop',
      'zh-dev',
      '--lexical',
      '--quiet',
      '--thresholds',
      'faq=0.3,margin=0.2,answer=0.5',
      '--out',
      out,
    ]);
    const record = JSON.parse(readFileSync(join(out, 'eval-shop-zh-dev.json'), 'utf8'));
    expect(record.metrics.thresholds).toEqual({ faq: 0.3, margin: 0.2, answer: 0.5, clarify: 0.3 });
    expect(record.metrics.calibration ?? null).toBeNull();
    expect(() => parseThresholds('faq=0.3')).toThrow(/needs at least faq= and margin=/);
    expect(() => parseThresholds('faq=0.3,margin=2')).toThrow(/in \[0, 1\], got "margin=2"/);
    expect(() => parseThresholds('faq=0.3,gap=0.1')).toThrow(/got "gap=0.1"/);
  });

  it('asks a shop set through the answer pipeline and records every outcome', async () => {
    await program().parseAsync([
      'node',
      'wendao',
      'eval',
      'shop',
      'zh-dev',
      '--lexical',
      '--quiet',
      '--out',
      out,
    ]);
    expect(readdirSync(out)).toEqual(['eval-shop-zh-dev.json']);
    const record = JSON.parse(readFileSync(join(out, 'eval-shop-zh-dev.json'), 'utf8'));
    const p = record.metrics.paraphrases;
    expect(p.n).toBe(110);
    expect(p.correct + p.wrong + p.clarify + p.fallback).toBe(p.n);
    expect(record.metrics.outOfScope.n).toBe(24);
    expect(record.metrics.spans.n).toBe(40);
    expect(record.metrics.calibration.calibrated).toBe(true);
    expect(record.metrics.thresholds.clarify).toBeLessThanOrEqual(record.metrics.thresholds.faq);
    // Calibration keeps its promise on the KB's own test questions (which are harder than customer
    // questions, so their target sits under the KB's 0.9), and customers get mostly right answers.
    const calibration = record.metrics.calibration;
    expect(calibration.probeTarget).toBeLessThan(0.9);
    expect(calibration.precision).toBeGreaterThanOrEqual(calibration.probeTarget);
    expect(p.correct).toBeGreaterThan(p.wrong * 5);
    // Of every answer given, out-of-scope questions included, the share right.
    const answered = p.correct + p.wrong + record.metrics.outOfScope.answered;
    expect(record.metrics.answersRight).toBeCloseTo((100 * p.correct) / answered, 1);
    const printed = log.mock.calls.map((c: unknown[]) => String(c[0])).join('\n');
    expect(printed).toMatch(/### shop · zh-dev/);
  });

  it('asks a public FAQ-style set through the answer pipeline with thresholds calibrated on it', async () => {
    await program().parseAsync([
      'node',
      'wendao',
      'eval',
      'faq-sets',
      'smp2017',
      '--lexical',
      '--limit',
      '20',
      '--quiet',
      '--out',
      out,
    ]);
    expect(readdirSync(out)).toEqual(['eval-faq-set-smp2017.json']);
    const record = JSON.parse(readFileSync(join(out, 'eval-faq-set-smp2017.json'), 'utf8'));
    const q = record.metrics.queries;
    expect(q.n).toBe(20);
    expect(q.correct + q.wrong + q.clarify + q.fallback).toBe(20);
    expect(record.metrics.calibration.calibrated).toBe(true);
  });

  it('writes the predictions file the official scoring scripts read', async () => {
    const predictions = join(out, 'preds-{dataset}.json');
    await program().parseAsync([
      'node',
      'wendao',
      'eval',
      'reader',
      'cmrc2018',
      '--lexical',
      '--limit',
      '15',
      '--quiet',
      '--out',
      out,
      '--predictions',
      predictions,
    ]);
    const written = JSON.parse(readFileSync(join(out, 'preds-cmrc2018.json'), 'utf8')) as Record<
      string,
      string
    >;
    expect(Object.keys(written)).toHaveLength(15);
    expect(Object.keys(written)[0]).toMatch(/^DEV_/);
    expect(Object.values(written).every((v) => typeof v === 'string')).toBe(true);
  });

  it('rejects a bad --limit and a missing datasets folder with clear messages', async () => {
    await expect(
      program().parseAsync(['node', 'wendao', 'eval', 'reader', 'squad', '--limit', 'ten', '--out', out]),
    ).rejects.toThrow(/--limit must be a positive integer, got "ten"/);
    await expect(
      program().parseAsync([
        'node',
        'wendao',
        'eval',
        'pairs',
        'bq',
        '--datasets-dir',
        join(out, 'nope'),
        '--out',
        out,
      ]),
    ).rejects.toThrow(/datasets folder .*nope does not exist/);
  });

  it('says when there are no records to report', () => {
    expect(() => renderResultsReport(out)).toThrow(/no eval-\*\.json records/);
  });
});

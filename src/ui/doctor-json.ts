/**
 * The contract's `--json` object, with stable keys in a fixed order:
 * { version, ok, summary{pass,warn,fail,skip}, checks[{id,status,title,summary,fix?,data?}] }.
 */
import type { Report } from '../doctor/types.js';

export const JSON_VERSION = 1;

export function toJson(report: Report): Record<string, unknown> {
  return {
    version: JSON_VERSION,
    ok: report.ok,
    summary: { pass: report.summary.pass, warn: report.summary.warn, fail: report.summary.fail, skip: report.summary.skip },
    checks: report.checks.map((c) => ({
      id: c.id,
      status: c.status,
      title: c.title,
      summary: c.summary,
      ...(c.fix !== undefined ? { fix: c.fix } : {}),
      ...(c.data !== undefined && Object.keys(c.data).length > 0 ? { data: c.data } : {}),
    })),
  };
}

export function renderJson(report: Report): string {
  return JSON.stringify(toJson(report), null, 2);
}

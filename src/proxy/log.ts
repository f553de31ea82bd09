/**
 * Levelled stderr logging for the proxy (`--log-level error|warn|info|debug`). It writes
 * through the context's logger, which is in proxy mode (stderr only, every line redacted), so
 * nothing here can reach stdout.
 */
import type { Logger } from '../context.js';

export type ProxyLogLevel = 'error' | 'warn' | 'info' | 'debug';
export const PROXY_LOG_LEVELS: readonly ProxyLogLevel[] = ['error', 'warn', 'info', 'debug'];

export interface ProxyLog {
  error(text: string): void;
  warn(text: string): void;
  info(text: string): void;
  debug(text: string): void;
  readonly debugEnabled: boolean;
}

export function createProxyLog(base: Logger, level: ProxyLogLevel): ProxyLog {
  const rank = PROXY_LOG_LEVELS.indexOf(level);
  const on = (l: ProxyLogLevel) => PROXY_LOG_LEVELS.indexOf(l) <= rank;
  const prefix = 'dbx-mcp proxy: ';
  // The base logger shows debug only with --verbose; --log-level decides here instead, so
  // accepted info and debug lines both go out through the base logger's `info`.
  const write = (text: string) => base.info(prefix + text);
  return {
    debugEnabled: on('debug'),
    error: (t) => on('error') && base.error(prefix + t),
    warn: (t) => on('warn') && base.warn(prefix + t),
    info: (t) => on('info') && write(t),
    debug: (t) => on('debug') && write(t),
  };
}


/**
 * ANSI styles for the few colours dbx-mcp prints. Our own rather than picocolors: importing
 * picocolors loads node's tty module (1.7 MB of resident memory in a bare `node -e`) even in
 * the proxy, which never colours anything; whether to colour is decided by `shouldColor` anyway.
 */
export type Style = (text: string) => string;

export interface Colors {
  bold: Style;
  dim: Style;
  red: Style;
  green: Style;
  yellow: Style;
  cyan: Style;
}

export function createColors(enabled: boolean): Colors {
  const style = (open: number, close: number): Style => (enabled ? (s) => `\x1b[${open}m${s}\x1b[${close}m` : (s) => s);
  return { bold: style(1, 22), dim: style(2, 22), red: style(31, 39), green: style(32, 39), yellow: style(33, 39), cyan: style(36, 39) };
}

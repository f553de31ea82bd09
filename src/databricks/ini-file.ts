/**
 * A read-only parser for ~/.databrickscfg. Hand-written instead of the `ini` package because
 * `ini` ends a value at any `#` or `;`, which corrupts secrets that contain them; the
 * Databricks SDKs only treat `#`/`;` as an inline comment when whitespace precedes it
 * (source: Go SDK config/config_file.go). Sections are kept separate: no inheritance from [DEFAULT].
 *
 * Syntax follows go-ini as the Databricks CLI and Go SDK load the file: `=` or `:` separates a
 * key from its value, leading whitespace is ignored (no Python-style continuation lines), keys
 * above the first header belong to [DEFAULT], and a line that is neither a comment, a header
 * nor a key/value pair is an error — the CLI refuses such a file too. Instead of "no profiles"
 * or "has no host" later, the error names the file, the line and what is wrong. Two departures,
 * both to report a mistake rather than guess: a section that appears twice is an error (go-ini
 * silently merges the two, the Python SDK refuses the file), and `host https://…` (a key with a
 * space before a `:`) is taken for a missing `=`, not for a key named "host https".
 */
import { UsageError } from '../errors.js';

export interface IniSection {
  name: string;
  /** Keys in file order, lower-cased as the SDK reads them. */
  values: Record<string, string>;
  /** 1-based line of the section header, for messages. */
  line: number;
}

/** A line of the config file that the Databricks CLI would not read either: exit 2. */
export class IniSyntaxError extends UsageError {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
    hint: string,
  ) {
    super(`${file}:${line}: ${detail}`, { code: 'CONFIG_PARSE', hint });
    this.name = 'IniSyntaxError';
  }
}

/** `file` names the file in errors. */
export function parseIni(text: string, file = '~/.databrickscfg'): Map<string, IniSection> {
  const sections = new Map<string, IniSection>();
  let current: IniSection | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const fail = (i: number, detail: string, fix: string): never => {
    throw new IniSyntaxError(file, i + 1, detail, `${fix} in ${file} (line ${i + 1}), then run the command again. The Databricks CLI reads the file the same way.`);
  };
  lines.forEach((rawLine, i) => {
    const line = rawLine.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    if (line.startsWith('[')) {
      const header = /^\[([^\]]*)\]\s*(?:[#;].*)?$/.exec(line);
      if (!header) {
        // Only the header is quoted: a bad line can hold a secret, and messages never do.
        if (!line.includes(']')) fail(i, `the section header ${/^\[[^\s=]*/.exec(line)![0]} has no closing "]"`, 'Close the header with "]"');
        fail(i, `the section header ${line.slice(0, line.indexOf(']') + 1)} is followed by text`, 'Put the header alone on its line');
      }
      const name = header![1]!.trim();
      if (!name) fail(i, 'the section header [] has no name', 'Name the section, e.g. [DEFAULT]');
      const first = sections.get(name);
      // The implicit [DEFAULT] that keys above every header create has no header line (0).
      if (first && first.line > 0) fail(i, `the section [${name}] appears twice (first at line ${first.line})`, `Merge the two [${name}] sections into one, or rename one of them`);
      current = first ?? { name, values: {}, line: i + 1 };
      current.line = i + 1;
      sections.set(name, current);
      return;
    }
    const delimiter = /[=:]/.exec(line);
    const key = delimiter ? line.slice(0, delimiter.index).trim() : '';
    if (!delimiter || !key || (delimiter[0] === ':' && /\s/.test(key))) {
      fail(i, 'expected "key = value", but the line has no "="', 'Write the line as key = value (or start it with # to make it a comment)');
    }
    if (!current) {
      current = sections.get('DEFAULT') ?? { name: 'DEFAULT', values: {}, line: 0 };
      sections.set('DEFAULT', current);
    }
    let value = line.slice(delimiter!.index + 1).trim();
    const comment = /\s[#;]/.exec(value);
    if (comment) value = value.slice(0, comment.index).trim();
    if (/^"(.*)"$/.test(value) || /^'(.*)'$/.test(value)) value = value.slice(1, -1);
    current.values[key.toLowerCase()] = value;
  });
  return sections;
}


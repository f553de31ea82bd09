/**
 * A read-only parser for ~/.databrickscfg. Hand-written instead of the `ini` package because
 * `ini` ends a value at any `#` or `;`, which corrupts secrets that contain them; the
 * Databricks SDKs only treat `#`/`;` as an inline comment when whitespace precedes it
 * (databricks-api.md §11.1). Sections are kept separate: no inheritance from [DEFAULT].
 */
export interface IniSection {
  name: string;
  /** Keys in file order, lower-cased as the SDK reads them. */
  values: Record<string, string>;
  /** 1-based line of the section header, for messages. */
  line: number;
}

export function parseIni(text: string): Map<string, IniSection> {
  const sections = new Map<string, IniSection>();
  let current: IniSection | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((rawLine, i) => {
    const line = rawLine.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([^\]]+)\]\s*(?:[#;].*)?$/.exec(line);
    if (header) {
      const name = header[1]!.trim();
      current = sections.get(name) ?? { name, values: {}, line: i + 1 };
      sections.set(name, current);
      return;
    }
    const eq = line.indexOf('=');
    if (eq < 0 || !current) return;
    const key = line.slice(0, eq).trim().toLowerCase();
    let value = line.slice(eq + 1).trim();
    const comment = /\s[#;]/.exec(value);
    if (comment) value = value.slice(0, comment.index).trim();
    if (/^"(.*)"$/.test(value) || /^'(.*)'$/.test(value)) value = value.slice(1, -1);
    current.values[key] = value;
  });
  return sections;
}

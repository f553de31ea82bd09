/**
 * Codecs by id, loaded lazily: a format's parser (a TOML or YAML library next to JSONC) is
 * imported only when a file of that format is touched, so startup and the proxy never load it.
 */
import type { ConfigCodec, ConfigFormat } from './codec.js';

export type { ConfigCodec, ConfigFormat } from './codec.js';

const loaders = {
  jsonc: async () => (await import('./jsonc.js')).jsoncCodec,
  toml: async () => (await import('./toml.js')).tomlCodec,
  yaml: async () => (await import('./yaml.js')).yamlCodec,
} satisfies Record<ConfigFormat, () => Promise<ConfigCodec>>;

/** The codec of a format. */
export function loadCodec(format: ConfigFormat): Promise<ConfigCodec> {
  return loaders[format]();
}

/**
 * Codecs by id, loaded lazily: a format's parser (a TOML or YAML library next to JSONC) is
 * imported only when a file of that format is touched, so startup and the proxy never load it.
 */
import type { CodecOptions, ConfigCodec, ConfigFormat } from './codec.js';

export type { CodecOptions, ConfigCodec, ConfigFormat } from './codec.js';

const loaders = {
  jsonc: async (options: CodecOptions) => (await import('./jsonc.js')).jsoncCodecWith(options),
  toml: async () => (await import('./toml.js')).tomlCodec,
  yaml: async () => (await import('./yaml.js')).yamlCodec,
} satisfies Record<ConfigFormat, (options: CodecOptions) => Promise<ConfigCodec>>;

/** The codec of a format, editing as `options` (the client's `formatOptions`) say. */
export function loadCodec(format: ConfigFormat, options: CodecOptions = {}): Promise<ConfigCodec> {
  return loaders[format](options);
}

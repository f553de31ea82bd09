/** dbx-mcp's version, set by the build (esbuild `define`); its own module so `--version` loads nothing else. */
declare const __DBX_MCP_VERSION__: string;

export const VERSION: string = typeof __DBX_MCP_VERSION__ === 'string' ? __DBX_MCP_VERSION__ : '0.0.0-dev';

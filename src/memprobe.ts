export function mp(label: string): void { // MEMPROBE
  if (global.gc) global.gc();
  const m = process.memoryUsage();
  process.stderr.write(`MEM ${label} maxRSS=${(process.resourceUsage().maxRSS / 1024).toFixed(0)} rss=${(m.rss / 2 ** 20).toFixed(0)} heap=${(m.heapUsed / 2 ** 20).toFixed(0)} ab=${(m.arrayBuffers / 2 ** 20).toFixed(0)}\n`);
}

/** A figure for the run's output (request counts, timings): straight to stdout, outside jest's console capture. */
export function report(text: string): void {
  process.stdout.write(`\n${text}\n`);
}

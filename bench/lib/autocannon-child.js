// Runs one autocannon load in its own process (so the load generator never shares an event loop
// or a core with the server it measures) and reports back over IPC. Latencies are kept exactly,
// per response, because autocannon's own histogram has 1 ms resolution, too coarse on loopback.
'use strict';

const autocannon = require('autocannon');

const round = (n, digits) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : n);

// The parent went away (Ctrl-C, crash): stop loading.
process.once('disconnect', () => process.exit(0));

process.once('message', (opts) => {
  const latencies = [];
  const instance = autocannon(
    {
      url: opts.url,
      method: opts.method,
      headers: opts.headers,
      body: opts.body,
      connections: opts.connections,
      duration: opts.duration,
      pipelining: 1,
    },
    (err, result) => {
      if (err) {
        process.send({ error: String(err.stack || err) }, () => process.exit(1));
        return;
      }
      const sorted = Float64Array.from(latencies).sort();
      const pct = (p) =>
        sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
      const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : NaN;
      process.send(
        {
          result: {
            rps: round(result['2xx'] / result.duration, 1),
            p50: round(pct(50), 3),
            p99: round(pct(99), 3),
            mean: round(mean, 3),
            requests: result.requests.total,
            ok: result['2xx'],
            non2xx: result.non2xx,
            errors: result.errors,
            timeouts: result.timeouts,
            statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, v.count])),
            duration: result.duration,
          },
        },
        () => process.exit(0),
      );
    },
  );
  instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
});

// Load generator for the benchmarks, forked as its own process (so on its own core; autocannon only
// aggregates its results on a main thread). Options arrive as JSON in argv[2]: { url, headers,
// connections, duration }; the summary goes back through process.send.
import autocannon from 'autocannon';

const { url, headers, connections, duration } = JSON.parse(process.argv[2]);
const result = await autocannon({ url, headers, connections, duration, pipelining: 1 });
process.send({
  requestsPerSecond: result.requests.average,
  total: result.requests.total,
  p50: result.latency.p50,
  p99: result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
});

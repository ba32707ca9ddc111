-- wrk script of `make bench`: counts every response whose status is not 2xx
-- (wrk itself counts only 4xx/5xx, and a redirect would pass for a fast page),
-- and prints the figures as one JSON line that bench/run.py reads.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   non2xx = 0
   first_bad = 0
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
      if first_bad == 0 then first_bad = status end
   end
end

function done(summary, latency, requests)
   local bad, first = 0, 0
   for _, thread in ipairs(threads) do
      bad = bad + thread:get("non2xx")
      local status = thread:get("first_bad")
      if first == 0 and status ~= 0 then first = status end
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
      '"non2xx": %d, "first_non2xx_status": %d, ' ..
      '"connect_errors": %d, "read_errors": %d, "write_errors": %d, ' ..
      '"timeouts": %d, "status_errors": %d, ' ..
      '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
      summary.requests, summary.duration, summary.bytes, bad, first,
      e.connect, e.read, e.write, e.timeout, e.status,
      latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.max, latency.mean))
end

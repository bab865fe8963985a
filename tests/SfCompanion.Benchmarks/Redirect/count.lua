-- Counts the answers wrk received, by kind, across all its threads.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  redirects = 0
  others = 0
end

function response(status, headers, body)
  if status == 302 then
    redirects = redirects + 1
  else
    others = others + 1
  end
end

function done(summary, latency, requests)
  local r, o = 0, 0
  for _, t in ipairs(threads) do
    r = r + t:get("redirects")
    o = o + t:get("others")
  end
  io.write(string.format("RESULT redirects=%d others=%d errors_connect=%d errors_read=%d errors_timeout=%d rps=%.0f p50_us=%d p99_us=%d\n",
    r, o, summary.errors.connect, summary.errors.read, summary.errors.timeout,
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99)))
end

-- Shared by wrk_http_post.lua and wrk_http_get.lua: per-thread ids, a count of unexpected
-- statuses (wrk itself counts only >= 400, and a 302 to the login page would pass unseen),
-- and one RESULT json line with throughput, p50/p95/p99 (ms) and all errors.
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

bad = 0
function check(status, body, want)
  if not want[status] then
    bad = bad + 1
    if bad <= 3 then
      io.stderr:write("unexpected " .. status .. ": " .. body:sub(1, 300):gsub("%s+", " ") .. "\n")
    end
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local unexpected = 0
  for _, thread in ipairs(threads) do
    unexpected = unexpected + (thread:get("bad") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.2f, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, ' ..
    '"p99_ms": %.2f, "errors": %d, "unexpected_status": %d, "socket_errors": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    unexpected + e.connect + e.read + e.write + e.timeout, unexpected,
    e.connect + e.read + e.write + e.timeout))
end

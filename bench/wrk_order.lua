-- wrk script: each request places one meal order through the API for a distinct
-- (person, menu) pair read from bench/var/pairs.txt ("token menu item" per line).
-- Threads take interleaved lines, so no pair is used twice in a run.
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  lines = {}
  for line in io.lines(os.getenv("BENCH_PAIRS") or "bench/var/pairs.txt") do
    lines[#lines + 1] = line
  end
  step = tonumber(os.getenv("BENCH_THREADS") or "2")
  idx = tid
end

function request()
  local line = lines[(idx % #lines) + 1]
  idx = idx + step
  local token, menu, item = line:match("(%S+) (%S+) (%S+)")
  local body = '{"menu": ' .. menu .. ', "items": [{"item": ' .. item .. ', "quantity": 1}]}'
  return wrk.format("POST", "/api/v1/canteen/orders/", {
    ["Authorization"] = "Token " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = "bench-" .. idx,
  }, body)
end

bad = 0
function response(status, headers, body)
  if status ~= 201 then
    bad = bad + 1
    if bad <= 3 then print("unexpected " .. status .. ": " .. body:sub(1, 200)) end
  end
end

dofile("bench/done.lua")

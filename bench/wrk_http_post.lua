-- wrk script: each request is one line of $BENCH_LINES ("token<TAB>path<TAB>json body", written
-- by bench/http_prepare.py), POSTed with that token; threads take interleaved lines, so no line
-- is sent twice in a run. Anything but 201 counts as an error.
dofile("bench/wrk_http_common.lua")

function init(args)
  lines = {}
  for line in io.lines(os.getenv("BENCH_LINES")) do
    lines[#lines + 1] = line
  end
  step = tonumber(os.getenv("BENCH_THREADS") or "2")
  run = os.getenv("BENCH_RUN") or "0"
  idx = tid
end

function request()
  local line = lines[(idx % #lines) + 1]
  idx = idx + step
  local token, path, body = line:match("([^\t]+)\t([^\t]+)\t(.*)")
  return wrk.format("POST", path, {
    ["Authorization"] = "Token " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = "bench-" .. run .. "-" .. idx,
  }, body)
end

local want = { [201] = true }
function response(status, headers, body)
  check(status, body, want)
end

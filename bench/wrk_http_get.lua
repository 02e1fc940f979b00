-- wrk script: GET $BENCH_PATH, each request with the next session cookie of $BENCH_COOKIES
-- (one "sessionid=…" per line, from bench/http_prepare.py; threads take interleaved cookies).
-- Without BENCH_COOKIES it is an anonymous GET (the bare view). Anything but 200 is an error.
dofile("bench/wrk_http_common.lua")

function init(args)
  cookies = {}
  local file = os.getenv("BENCH_COOKIES") or ""
  if file ~= "" then
    for line in io.lines(file) do
      cookies[#cookies + 1] = line
    end
  end
  path = os.getenv("BENCH_PATH")
  step = tonumber(os.getenv("BENCH_THREADS") or "2")
  idx = tid
end

function request()
  local headers = {}
  if #cookies > 0 then
    headers["Cookie"] = cookies[(idx % #cookies) + 1]
    idx = idx + step
  end
  return wrk.format("GET", path, headers)
end

local want = { [200] = true }
function response(status, headers, body)
  check(status, body, want)
end

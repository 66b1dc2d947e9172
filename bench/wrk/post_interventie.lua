-- POST /v1/interventies: valid interventie bodies with a bearer token; the titel and the
-- attributes vary per request (random with a fixed seed per thread).
--
-- Arguments (after `--`): token=<jwt> focusgebieden=<code,code,...> [seed=42] [label=bench]
--   [rate=<writes/s over all threads> threads=<wrk -t>]  paced at a constant rate (wrk2-like:
--                                                      a schedule per thread), else saturate
--   [record=1]  keep the CLOCK_MONOTONIC time of every 201 (workload 3 matches them against
--               what the rapportage view shows)

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

local STATUSES = { "gepland", "lopend", "lopend", "afgerond", "gestopt" }
local EENHEDEN = { "woningen", "woningen", "leerlingen", "deelnemers", "meters" }

function init(args)
  local cfg = bench_args(args)
  token = assert(cfg.token, "token=... ontbreekt")
  focusgebieden = bench_split(cfg.focusgebieden)
  assert(#focusgebieden > 0, "focusgebieden=... ontbreekt")
  label = cfg.label or "bench"
  record = cfg.record == "1"
  math.randomseed(tonumber(cfg.seed or "42") * 1000 + bench_thread)
  headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
  sent = 0
  local rate = tonumber(cfg.rate or "0") / tonumber(cfg.threads or "1")
  if rate > 0 then
    local interval, next_at = 1 / rate, bench_now()
    -- Called before every request on every connection: the next free slot of this thread's
    -- schedule (a slow response does not lower the rate while other connections are idle).
    function delay()
      local now = bench_now()
      if next_at < now - 1 then next_at = now - 1 end -- after a stall, catch up at most 1 s
      local wait = next_at - now
      next_at = next_at + interval
      return wait > 0 and math.floor(wait * 1000 + 0.5) or 0
    end
  end
end

function request()
  sent = sent + 1
  local body = string.format(
    '{"focusgebied":"%s","actielijn":%d,"ministerie":"BZK","titel":"%s %d-%d",' ..
    '"status":"%s","startdatum":"2025-%02d-01","outputEenheid":"%s","geplandeOutput":"%d"}',
    focusgebieden[math.random(#focusgebieden)], math.random(4), label, bench_thread, sent,
    STATUSES[math.random(#STATUSES)], math.random(12), EENHEDEN[math.random(#EENHEDEN)],
    math.random(500))
  return wrk.format("POST", "/v1/interventies", headers, body)
end

function response(status, headers, body)
  bench_count(status)
  if record and status == 201 then bench_stamps[#bench_stamps + 1] = bench_now() end
end

-- Loaded by every bench script (dofile): status counts per thread, a monotonic clock, and a
-- done() that prints one line `BENCH_RESULT {json}` for bench/harness.py to parse: requests,
-- duration, latency percentiles (ms), status counts, socket errors and, when a script
-- recorded them, the CLOCK_MONOTONIC times (s) of its 201 responses (`stamps`).

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("bench_timespec")

-- Seconds on CLOCK_MONOTONIC: the clock of Python's time.monotonic(), so both can be compared.
function bench_now()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) + tonumber(timespec.tv_nsec) * 1e-9
end

-- key=value script arguments (after `--` on the wrk command line).
function bench_args(args)
  local cfg = {}
  for _, arg in ipairs(args) do
    local key, value = arg:match("^([%w_]+)=(.*)$")
    if key then cfg[key] = value else cfg[#cfg + 1] = arg end
  end
  return cfg
end

function bench_split(text)
  local items = {}
  for item in string.gmatch(text or "", "[^,]+") do items[#items + 1] = item end
  return items
end

-- Per thread (each thread has its own Lua state; done() collects them with thread:get).
bench_statuses = {}
bench_stamps = {}

function bench_count(status)
  bench_statuses[status] = (bench_statuses[status] or 0) + 1
end

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("bench_thread", #threads)
end

local function encode(value)
  local kind = type(value)
  if kind == "number" then
    if value ~= value or value == math.huge or value == -math.huge then return "null" end
    return string.format("%.17g", value)
  elseif kind == "string" then
    return '"' .. value:gsub('[%c"\\]', function(c)
      return string.format("\\u%04x", c:byte())
    end) .. '"'
  elseif kind == "boolean" then
    return tostring(value)
  elseif kind == "table" then
    local parts = {}
    if value[1] ~= nil then
      for i = 1, #value do parts[i] = encode(value[i]) end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    for key, item in pairs(value) do
      parts[#parts + 1] = encode(tostring(key)) .. ":" .. encode(item)
    end
    return "{" .. table.concat(parts, ",") .. "}"
  end
  return "null"
end

function done(summary, latency, requests)
  local statuses, stamps = {}, {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("bench_statuses") or {}) do
      statuses[status] = (statuses[status] or 0) + count
    end
    for _, stamp in ipairs(thread:get("bench_stamps") or {}) do stamps[#stamps + 1] = stamp end
  end
  table.sort(stamps)
  local ms = function(us) return us / 1000 end
  local errors = summary.errors
  io.write("BENCH_RESULT ", encode({
    duration_s = summary.duration / 1e6,
    requests = summary.requests,
    bytes = summary.bytes,
    statuses = statuses,
    socket_errors = { connect = errors.connect, read = errors.read, write = errors.write,
                      timeout = errors.timeout },
    latency_ms = { mean = ms(latency.mean), max = ms(latency.max),
                   p50 = ms(latency:percentile(50)), p90 = ms(latency:percentile(90)),
                   p99 = ms(latency:percentile(99)), p999 = ms(latency:percentile(99.9)) },
    stamps = stamps,
  }), "\n")
end

-- GET a list of paths in turn (public reads, no token).
-- Arguments (after `--`): one or more paths, e.g. /v1/focusgebieden?pageSize=20

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

function init(args)
  paths = {}
  for _, path in ipairs(bench_args(args)) do paths[#paths + 1] = path end
  assert(#paths > 0, "geen paden opgegeven")
  index = bench_thread -- threads start at different paths
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end

function response(status, headers, body)
  bench_count(status)
end

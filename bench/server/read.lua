-- wrk script: GET one person by id per request, cycling through IDS (env).
function init(args)
  ids = {}
  for line in io.lines(os.getenv("IDS")) do table.insert(ids, line) end
  i = 0
  token = os.getenv("TOKEN")
end

function request()
  i = i + 1
  return wrk.format("GET", "/api/v1/persons/" .. ids[(i % #ids) + 1],
                    {["Authorization"] = "Bearer " .. token})
end

function done(summary, latency, requests)
  local s = summary.duration / 1e6
  io.write(string.format("  %-9s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  (%d requests, %d non-2xx)\n",
    os.getenv("LABEL"), summary.requests / s, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.requests, summary.errors.status))
end

-- wrk script: POST a check-in per request, each for a different person.
-- Reads "document point" lines from DOCS (env), splits them among threads.
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

function init(args)
  docs = {}
  for line in io.lines(os.getenv("DOCS")) do
    local d, p = line:match("(%S+) (%S+)")
    table.insert(docs, {d, p})
  end
  nthreads = tonumber(os.getenv("THREADS") or "1")
  i = tid - 1
  token = os.getenv("TOKEN")
  path = os.getenv("CHECKIN_PATH")
  created, other = 0, 0
end

function request()
  if #docs == 0 then
    return wrk.format("GET", "/healthz")
  end
  local e = docs[(i % #docs) + 1]
  i = i + nthreads
  local body = '{"point":"' .. e[2] .. '","document_number":"' .. e[1] .. '"}'
  return wrk.format("POST", path, {["Authorization"] = "Bearer " .. token,
                                   ["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local s = summary.duration / 1e6
  local made = 0
  for _, t in ipairs(threads) do made = made + (t:get("created") or 0) end
  io.write(string.format("  %-11s %6.0f check-ins/s (201)  p50 %6.2f ms  p99 %6.2f ms  (%d requests, %d not 201)\n",
    os.getenv("LABEL"), made / s, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.requests, summary.requests - made))
end

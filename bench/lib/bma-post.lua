-- wrk: POSTs one BMA transaction per request, each with an external_transaction_id of its own, so that every
-- request is a new transaction (201) and none is answered as a duplicate (200).
--   BMA_BODY=<body template> BMA_ID_PREFIX=<prefix> wrk -s bench/lib/bma-post.lua -H 'Authorization: Bearer <key>' <url>
-- (environment rather than script arguments, so that bench/lib/common.sh's warm_up can append -d5s). The template (written by bench/lib/bma_bodies.py) holds @ID@ wherever the transaction's id goes. It is read
-- and split once per thread, so a request costs one string concatenation however large its body is.
-- At the end it prints "STATUS <code> <count>" for every answer code and the socket errors, which the
-- bench checks: a benchmark of answers that were not 201 measures nothing.

local threads = {}
math.randomseed(os.time() + math.floor(os.clock() * 1000000))
local run = tostring(os.time()) .. "-" .. tostring(math.random(1, 1000000000))

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", run .. "-" .. #threads)
end

local parts, prefix, n = {}, "wrk", 0
statuses = {}

function init()
  local f = assert(io.open(assert(os.getenv("BMA_BODY"), "BMA_BODY is not set"), "rb"))
  local template = f:read("*a")
  f:close()
  local from = 1
  while true do
    local i, j = string.find(template, "@ID@", from, true)
    if not i then
      table.insert(parts, string.sub(template, from))
      break
    end
    table.insert(parts, string.sub(template, from, i - 1))
    from = j + 1
  end
  prefix = os.getenv("BMA_ID_PREFIX") or prefix
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  n = n + 1
  return wrk.format(nil, nil, nil, table.concat(parts, prefix .. "-" .. tid .. "-" .. n))
end

function response(status)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary)
  local all = {}
  for _, t in ipairs(threads) do
    for code, count in pairs(t:get("statuses") or {}) do
      all[code] = (all[code] or 0) + count
    end
  end
  for code, count in pairs(all) do
    io.write(string.format("STATUS %d %d\n", code, count))
  end
  local e = summary.errors
  io.write(string.format("ERRORS connect=%d read=%d write=%d timeout=%d\n", e.connect, e.read, e.write, e.timeout))
end

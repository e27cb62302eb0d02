-- The requests of benchmarks/api.py --client wrk: wrk walks the paths that api.py drew with its
-- seeded generators (one path a line, the clients' sequences interleaved), each wrk thread the
-- lines of its own stride, and done() prints one line that api.py reads.
--   wrk -t T -c 50 -d 20s -s benchmarks/api_wrk.lua http://127.0.0.1:PORT -- PATHS_FILE

local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  -- setup() numbered the threads before init() runs in each; every thread takes the lines
  -- whose number, modulo the threads, is its id.
  local stride = tonumber(args[2]) or 1
  paths = {}
  local line_number = 0
  for line in io.lines(args[1]) do
    if line_number % stride == id then
      paths[#paths + 1] = line
    end
    line_number = line_number + 1
  end
  next_path = 0
end

function request()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "RASAD requests=%d status_errors=%d connect=%d read=%d write=%d timeout=%d " ..
    "p50=%d p95=%d p99=%d max=%d\n",
    summary.requests, errors.status, errors.connect, errors.read, errors.write,
    errors.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max))
end

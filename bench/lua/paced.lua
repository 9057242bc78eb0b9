-- Constant-rate requests for wrk 4 (Debian's wrk has no rate option; wrk2 is not packaged).
-- Usage: wrk -t T -c C -d D -s paced.lua URL -- <requests per second per thread>
--
-- Each thread keeps one schedule, anchored at its first request: slot k is due at
-- start + k / rate. Whenever one of the thread's connections is ready to send, wrk asks
-- delay() how long to wait, and the connection takes the next free slot. Waiting is whole
-- milliseconds (wrk's timer granularity) but the schedule itself never drifts. Give each
-- thread enough connections that a slow response does not hold up the following slots.
-- Latency is wrk's own: from writing a request to reading its response.
-- done() prints one line, WRK_JSON {...}, for the harness.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } paced_timespec;
  int clock_gettime(int clk_id, paced_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("paced_timespec")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local interval_ms = nil
local next_slot = nil

function init(args)
  local rate = tonumber(args[1])
  if rate == nil or rate <= 0 then
    error("paced.lua needs the per-thread request rate after --, e.g. -- 25")
  end
  interval_ms = 1000 / rate
end

function delay()
  local now = now_ms()
  if next_slot == nil then next_slot = now end
  local wait = next_slot - now
  next_slot = next_slot + interval_ms
  if wait <= 0 then return 0 end
  return math.floor(wait)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"durationUs":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latencyUs":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end

-- ncpd.lua: wrk script for ncpd.
--
-- NCP signatures cover method, path, timestamp and access key (not the
-- body) and stay valid for five minutes, longer than any run, so the
-- driver (bench/run.py) signs each path once and passes the signatures:
--   wrk -s ncpd.lua URL -- MODE ACCESS_KEY TIMESTAMP ARGS...
--   MODE fixed     ARGS = PATH SIGNATURE BODY         same request every time
--   MODE stopstart ARGS = STOP_SIG START_SIG FIRST COUNT
--        each thread walks its own slice of COUNT servers numbered from
--        FIRST (step 2: basic storages sit in between), stopping them on
--        even laps and starting them on odd laps (run ncpd with
--        --sim-step-ms 0 so each transition has ended before the next lap)
-- Every answer whose HTTP status is not 200 or whose returnCode is not 0
-- is counted and reported by done(), so a fast wrong answer is visible.
local mode, ak, ts
local path, sig, body
local stop_sig, start_sig, first, count
local threads = {}
local counter, slice_first, slice_len = 0, 0, 0
bad = 0

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  mode, ak, ts = args[1], args[2], args[3]
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["x-ncp-apigw-timestamp"] = ts
  wrk.headers["x-ncp-iam-access-key"] = ak
  if mode == "fixed" then
    path, sig, body = args[4], args[5], args[6]
    wrk.headers["x-ncp-apigw-signature-v2"] = sig
    wrk.body = body
  else
    stop_sig, start_sig = args[4], args[5]
    first, count = tonumber(args[6]), tonumber(args[7])
    local nthreads = tonumber(args[8])
    slice_len = math.floor(count / nthreads)
    slice_first = first + 2 * slice_len * tid
  end
end

function request()
  if mode == "fixed" then
    return wrk.format(nil, path)
  end
  local i = counter % slice_len
  local lap = math.floor(counter / slice_len)
  counter = counter + 1
  local no = slice_first + 2 * i
  local b = "responseFormatType=json&serverInstanceNoList.1=" .. no
  if lap % 2 == 0 then
    wrk.headers["x-ncp-apigw-signature-v2"] = stop_sig
    return wrk.format("POST", "/server/v2/stopServerInstances", nil, b)
  end
  wrk.headers["x-ncp-apigw-signature-v2"] = start_sig
  return wrk.format("POST", "/server/v2/startServerInstances", nil, b)
end

function response(status, headers, resp)
  if status ~= 200 or (mode ~= "fixed" and not string.find(resp, '"returnCode": "0"', 1, true)) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + (t:get("bad") or 0)
  end
  io.write(string.format("BAD %d\n", total))
end

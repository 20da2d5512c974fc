-- wrk script: POST /api/v1/heartbeat from many devices, each naming the
-- window in front; the window changes every CHANGE_EVERY beats (default
-- 20), so most beats merge into the open span (the common case) and some
-- close it and open a new one.
local tokens = {}
local change_every = tonumber(os.getenv("CHANGE_EVERY") or "20")
for line in io.lines(os.getenv("TOKENS")) do tokens[#tokens + 1] = line end
local n = 0

function request()
	n = n + 1
	local dev = (n - 1) % #tokens + 1
	local beat = math.floor((n - 1) / #tokens)
	local body = string.format(
		'{"idle":false,"duration_ms":0,"window":{"app":"code","title":"file %d.c — é"}}',
		math.floor(beat / change_every))
	return wrk.format("POST", "/api/v1/heartbeat", {
		["Authorization"] = "Bearer " .. tokens[dev],
		["Content-Type"] = "application/json" }, body)
end

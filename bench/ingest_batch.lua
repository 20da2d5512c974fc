-- wrk script: POST /api/v1/activity, 100-span batches from many devices.
-- Each wrk thread owns a disjoint slice of the devices in $TOKENS (one
-- token a line); each device's batches have increasing sequence numbers
-- and cover new time (100 spans of STEP_MS each, default 10 s, from T0
-- in seconds), so nothing is dropped as a repeat and every request
-- stores 100 spans.  Windows repeat as in real
-- use: a few applications, titles from a pool of 200, some new.
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do tokens[#tokens + 1] = line end
local t0 = tonumber(os.getenv("T0"))
local step_ms = tonumber(os.getenv("STEP_MS") or "10000")
-- One span in NEW_EVERY names a window never seen before (default 30:
-- bench/gen's people, after their first week, make one new window in
-- 28-32 spans; see BENCHMARKS.md "Ingest: new windows").
local new_every = tonumber(os.getenv("NEW_EVERY") or "30")
-- CONTENT_TYPE: bench/ingest_floor.sh sends text/plain, answered 415
-- before any database work.
local content_type = os.getenv("CONTENT_TYPE") or "application/json"
local threads, nthreads = {}, 0

function setup(thread)
	nthreads = nthreads + 1
	thread:set("tid", nthreads)
	threads[#threads + 1] = thread
end

local apps = { "code", "firefox", "xterm", "slack", "thunderbird", "libreoffice" }
local first, count, n, seq = 0, 0, 0, {}

function init(args)
	local per = math.floor(#tokens / tonumber(os.getenv("THREADS")))
	first = (tid - 1) * per + 1
	count = per
end

function request()
	n = n + 1
	local dev = first + (n - 1) % count
	seq[dev] = (seq[dev] or 0) + 1
	local base = t0 * 1000 + (seq[dev] - 1) * 100 * step_ms
	local parts = {}
	for k = 0, 99 do
		local title
		if (n + k) % new_every == 0 then
			-- T0 makes it new to the database too, not only to this run.
			title = string.format("new window %d-%d-%d-%d — é", t0, dev, seq[dev], k)
		else
			title = string.format("document %d — Worktime 漢字", (k * 7 + seq[dev]) % 200)
		end
		parts[k + 1] = string.format(
			'{"start":"%s.%03dZ","duration_ms":%d,"app":"%s","title":"%s","afk":%s}',
			os.date("!%Y-%m-%dT%H:%M:%S", math.floor((base + k * step_ms) / 1000)), (base + k * step_ms) % 1000,
			step_ms, apps[k % #apps + 1], title,
			k % 25 == 0 and "true" or "false")
	end
	local body = '{"batch":' .. seq[dev] .. ',"spans":[' .. table.concat(parts, ",") .. ']}'
	return wrk.format("POST", "/api/v1/activity", {
		["Authorization"] = "Bearer " .. tokens[dev],
		["Content-Type"] = content_type }, body)
end

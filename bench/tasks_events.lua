-- wrk script: POST /api/v1/task-events for many people, as widgets send
-- them.  Each wrk thread has its own people (so one person's events come
-- from one thread, in order) and sends them round-robin: per person a
-- cycle of 50 events, NEXT mostly, a pause and its resume every ten, and
-- EXIT at the end, so sessions stay a realistic 40-odd tasks long.  Client
-- times start five minutes ago and grow by a millisecond an event.
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do tokens[#tokens + 1] = line end
local threads = tonumber(os.getenv("THREADS") or "2")
local t0 = tonumber(os.getenv("T0_MS"))
local run = os.getenv("RUN") or "r"
local nthread = 0

function setup(thread)
	thread:set("id", nthread)
	nthread = nthread + 1
end

local n = 0
local mine = {}

function init(args)
	for i = id + 1, #tokens, threads do mine[#mine + 1] = i end
end

local function iso(ms)
	local s = math.floor(ms / 1000)
	return os.date("!%Y-%m-%dT%H:%M:%S", s) .. string.format(".%03dZ", ms % 1000)
end

function request()
	local k = n % #mine
	local person = mine[k + 1]
	local step = math.floor(n / #mine) % 50
	local typ = "NEXT"
	if step == 49 then typ = "EXIT"
	elseif step % 10 == 5 or step % 10 == 6 then typ = "PAUSE" end
	local at = t0 + n * threads + id
	n = n + 1
	local body = string.format('{"id":"%s-%d-%d","type":"%s","at":"%s"}', run, id, n, typ, iso(at))
	return wrk.format("POST", "/api/v1/task-events", {
		["Authorization"] = "Bearer " .. tokens[person],
		["Content-Type"] = "application/json" }, body)
end

-- wrk script: POST /api/v1/screenshots as agents send them: one JPEG
-- (IMG) from many devices in turn (TOKENS, one a line), a new seq every
-- request (thread id in the high digits, so threads never collide), taken
-- at TAKEN, blurred.
local f = assert(io.open(os.getenv("IMG"), "rb"))
local body = f:read("*a")
f:close()
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do tokens[#tokens + 1] = line end
local taken = os.getenv("TAKEN")
local nthread = 0

function setup(thread)
	thread:set("id", nthread)
	nthread = nthread + 1
end

local n = 0

function request()
	n = n + 1
	local seq = (id + 1) * 1000000000 + n
	return wrk.format("POST", string.format("/api/v1/screenshots?seq=%d&taken_at=%s&blurred=true",
		seq, taken), {
		["Authorization"] = "Bearer " .. tokens[(n + id * 7) % #tokens + 1],
		["Content-Type"] = "image/jpeg" }, body)
end

-- wrk script: POST /api/v1/people/{id}/role-changes, moving staff engineers
-- to architect and back (a lateral move each way). Each wrk thread takes
-- its own slice of the ids in $STAFF so that no two threads move one person.
local ids = {}
for id in string.gmatch(os.getenv("STAFF") or "", "[^,]+") do
    ids[#ids + 1] = id
end

local threads = {}
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("slot", counter)
    table.insert(threads, thread)
end

function init(args)
    local step = tonumber(os.getenv("THREADS") or "2")
    slot = tonumber(slot) or 1
    mine = {}
    for i = slot, #ids, step do
        mine[#mine + 1] = ids[i]
    end
    i = 0
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
end

function request()
    i = i + 1
    local n = #mine
    local id = mine[((i - 1) % n) + 1]
    local round = math.floor((i - 1) / n)
    local to = (round % 2 == 0) and "architect" or "staff-engineer"
    return wrk.format(nil, "/api/v1/people/" .. id .. "/role-changes", nil,
        '{"to_role":"' .. to .. '"}')
end

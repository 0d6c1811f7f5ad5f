-- wrk script: durable loan bookings (loan + schedule + guarantee + ledger in one transaction).
-- Each wrk thread books its own interleaved sequence of the prepared offers, so no offer is
-- booked twice. Arguments: FIRST_OFFER_ID FIRST_REQUEST_ID TOKEN WRK_THREADS
local thread_count = 0
function setup(thread)
  thread:set("index", thread_count)
  thread_count = thread_count + 1
end
function init(args)
  first_offer = tonumber(args[1])
  first_request = tonumber(args[2])
  token = args[3]
  step = tonumber(args[4])
  k = index
end
function request()
  local body = string.format(
    '{"offer_id":%d,"start_date":"2025-06-01","guarantee_request_id":%d}',
    first_offer + k, first_request + k)
  k = k + step
  return wrk.format("POST", "/api/v1/loans",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end

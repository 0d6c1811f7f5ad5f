-- wrk script: durable loan bookings (loan + schedule + guarantee + ledger in one transaction).
-- Each wrk thread books its own interleaved sequence of prepared offer ids, so no offer is booked
-- twice. Arguments: FIRST_OFFER_ID GUARANTOR_TENANT_ID TOKEN
local thread_count = 0
function setup(thread)
  thread:set("index", thread_count)
  thread_count = thread_count + 1
end
function init(args)
  first = tonumber(args[1])
  guarantor = tonumber(args[2])
  token = args[3]
  step = tonumber(args[4])
  next_id = first + index
end
function request()
  local body = string.format(
    '{"offer_id":%d,"start_date":"2025-06-01","guarantee":{"guarantor_tenant_id":%d,"cover_bps":7000,"fee_bps":150}}',
    next_id, guarantor)
  next_id = next_id + step
  return wrk.format("POST", "/api/v1/loans",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end
